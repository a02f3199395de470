import { X509Certificate } from "node:crypto";
import { mkdtempSync, readFileSync, renameSync, writeFileSync } from "node:fs";
import path from "node:path";
import { connect } from "node:tls";
import { ensureDevCertificates, type DevCertificates } from "@oms/infra";

export type { DevCertificates };

/**
 * For specs of certificate rotation (ADR 020's addendum): the PEM of development sets (one
 * set per CA), a process's own certificate files that a spec rotates as an operator would,
 * and the certificate a server shows a new connection.
 */
/** Two development sets under `root`, each its own CA: the old one and the new one of a CA change. */
export function oldAndNewCertificateAuthorities(root: string): Promise<[DevCertificates, DevCertificates]> {
  return Promise.all([ensureDevCertificates(path.join(root, "ca-1")), ensureDevCertificates(path.join(root, "ca-2"))]);
}

export const devPem = {
  /** A CA bundle: during a CA change it holds the old CA and the new one. */
  ca: (...sets: DevCertificates[]) => Buffer.concat(sets.map((set) => readFileSync(set.caFile))),
  cert: (set: DevCertificates, name: string) => readFileSync(set.filesOf(name).cert),
  key: (set: DevCertificates, name: string) => readFileSync(set.filesOf(name).key),
  fingerprintOf: (set: DevCertificates, name: string) => new X509Certificate(readFileSync(set.filesOf(name).cert)).fingerprint256,
};

export interface PemSet {
  ca: Buffer;
  cert: Buffer;
  key: Buffer;
}

/** As operations.md tells an operator: the new content beside the file, then renamed over it, so no reader sees half a file. */
export function writeAtomically(file: string, content: Buffer): void {
  writeFileSync(`${file}.new`, content, { mode: 0o600 });
  renameSync(`${file}.new`, file);
}

/**
 * A process's own CA bundle, certificate and key in a directory of their own under `root`
 * (its secret mount), as the OMS_GRPC_TLS_* variables name them; `rotate` replaces some.
 */
export function rotatableCertificateFiles(root: string, name: string, content: PemSet) {
  const directory = mkdtempSync(path.join(root, `${name}-`));
  const env = {
    OMS_GRPC_TLS_CA: path.join(directory, "ca.crt"),
    OMS_GRPC_TLS_CERT: path.join(directory, `${name}.crt`),
    OMS_GRPC_TLS_KEY: path.join(directory, `${name}.key`),
  };
  const rotate = (next: Partial<PemSet>) => {
    // The key before the certificate: between the two renames the pair does not match, which a reload must survive.
    if (next.key) writeAtomically(env.OMS_GRPC_TLS_KEY, next.key);
    if (next.cert) writeAtomically(env.OMS_GRPC_TLS_CERT, next.cert);
    if (next.ca) writeAtomically(env.OMS_GRPC_TLS_CA, next.ca);
  };
  rotate(content);
  return { env, rotate };
}

/**
 * The fingerprint of the certificate the server at 127.0.0.1:`port` shows a new connection
 * now, seen with a raw TLS handshake that shows `as` (the server asks every client for a
 * certificate from its CA). Not verified here: the point is what is shown, whoever signed it.
 */
export function presentedCertificate(port: number, as: PemSet, serverName: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = connect({ host: "127.0.0.1", port, ...as, servername: serverName, ALPNProtocols: ["h2"], rejectUnauthorized: false }, () => {
      const fingerprint = socket.getPeerCertificate().fingerprint256;
      socket.destroy();
      resolve(fingerprint);
    });
    socket.once("error", reject);
  });
}
