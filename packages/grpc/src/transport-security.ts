import type { PeerCertificate } from "node:tls";
import { ServerCredentials, credentials, type ChannelCredentials, type ChannelOptions, type ServerUnaryCall } from "@grpc/grpc-js";

/**
 * What a process needs for mutual TLS (ADR 020): the certificate authorities it trusts
 * (PEM, one or more: during a CA rotation, the old and the new) and its own certificate
 * chain and private key, signed by one of them.
 */
export interface TlsIdentity {
  ca: Buffer;
  cert: Buffer;
  key: Buffer;
}

/**
 * Where a service is and how to reach it. Under mutual TLS the client shows `identity`
 * and accepts only a server whose certificate, from a trusted CA, names `serverName`,
 * whatever host or IP the address holds (127.0.0.1:port locally).
 */
export interface GrpcPeer {
  address: string;
  tls?: { identity: TlsIdentity; serverName: string };
}

/** A peer, or a bare address: plaintext, as the in-process integration specs call their service. */
export type GrpcTarget = string | GrpcPeer;

export function peerAt(target: GrpcTarget): GrpcPeer {
  return typeof target === "string" ? { address: target } : target;
}

/** The channel a client opens to a target: its address, credentials and the options that make the name check hold. */
export function clientChannelOf(target: GrpcTarget): { address: string; credentials: ChannelCredentials; options: ChannelOptions } {
  const peer = peerAt(target);
  if (!peer.tls) return { address: peer.address, credentials: credentials.createInsecure(), options: {} };
  const { identity, serverName } = peer.tls;
  return {
    address: peer.address,
    // TLS verifies the chain against the CA; grpc.ssl_target_name_override makes it check
    // the certificate's name against serverName instead of the address's host (and sends it as SNI).
    credentials: credentials.createSsl(identity.ca, identity.key, identity.cert),
    options: { "grpc.ssl_target_name_override": serverName },
  };
}

/** A server's credentials: plaintext without an identity; with one, TLS that asks every client for a certificate from the CA. */
export function serverCredentialsOf(identity: TlsIdentity | undefined): ServerCredentials {
  if (!identity) return ServerCredentials.createInsecure();
  return ServerCredentials.createSsl(identity.ca, [{ private_key: identity.key, cert_chain: identity.cert }], true);
}

/**
 * The calling service, as its certificate's common name says (the CA put it there), or
 * undefined on a plaintext connection, where nobody is authenticated.
 */
export function callerOf(call: Pick<ServerUnaryCall<unknown, unknown>, "getAuthContext">): string | undefined {
  const certificate: PeerCertificate | undefined = call.getAuthContext()?.sslPeerCertificate;
  const commonName = certificate?.subject?.CN;
  return Array.isArray(commonName) ? commonName[0] : commonName;
}
