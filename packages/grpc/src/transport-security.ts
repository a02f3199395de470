import type { PeerCertificate } from "node:tls";
import { ServerCredentials, credentials, experimental, type ChannelCredentials, type ChannelOptions, type ServerUnaryCall } from "@grpc/grpc-js";
import { ReloadingTlsIdentity } from "./reloading-tls-identity.ts";

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
 * An identity a server serves or a client shows: fixed buffers, or one that follows its
 * files without a restart (the services', ADR 020's addendum).
 */
export type TlsCredentialsSource = TlsIdentity | ReloadingTlsIdentity;

/**
 * Where a service is and how to reach it. Under mutual TLS the client shows `identity`
 * and accepts only a server whose certificate, from a trusted CA, names `serverName`,
 * whatever host or IP the address holds (127.0.0.1:port locally).
 */
export interface GrpcPeer {
  address: string;
  tls?: { identity: TlsCredentialsSource; serverName: string };
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
    // the certificate's name against serverName instead of the address's host (and sends it
    // as SNI), with certificate-provider credentials as with fixed ones. A reloading identity
    // takes effect on the channel's next connection.
    credentials:
      identity instanceof ReloadingTlsIdentity
        ? experimental.createCertificateProviderChannelCredentials(identity, identity)
        : credentials.createSsl(identity.ca, identity.key, identity.cert),
    options: { "grpc.ssl_target_name_override": serverName },
  };
}

/** A server's credentials: plaintext without an identity; with one, TLS that asks every client for a certificate from the CA. */
export function serverCredentialsOf(identity: TlsCredentialsSource | undefined): ServerCredentials {
  if (!identity) return ServerCredentials.createInsecure();
  // One provider for both roles: grpc-js 1.14.7's createCertificateProviderServerCredentials
  // passes its two providers to the constructor in the other order than its parameters
  // name them, which is harmless only when they are the same. `true`: a client without a
  // certificate from the CA never completes the handshake, as with createSsl below.
  if (identity instanceof ReloadingTlsIdentity) return experimental.createCertificateProviderServerCredentials(identity, identity, true);
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
