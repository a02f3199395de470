import { X509Certificate, createPrivateKey, type KeyObject } from "node:crypto";
import { readFileSync } from "node:fs";
import { ReloadingTlsIdentity, type TlsFiles, type TlsIdentity } from "@oms/grpc";

/**
 * Mutual TLS on the services' gRPC (ADR 020), from the environment:
 * - `OMS_GRPC_TLS_CA`, `OMS_GRPC_TLS_CERT`, `OMS_GRPC_TLS_KEY`: PEM files — the CA(s) the
 *   service trusts, its own certificate (naming it: CN=<service>, DNS:<service>) and key;
 * - `OMS_GRPC_TLS`: `required` refuses to start without them (production); unset, a
 *   service without any of the three speaks plaintext, as the in-process specs do;
 * - `OMS_GRPC_ALLOWED_CALLERS`: the services whose certificates may call this one's APIs
 *   (health answers any certificate from the CA); default `intake`, the gateway. A binding
 *   may admit one more service of its own (billing reads fulfillment's OrderQuery, ADR 023).
 * - `OMS_GRPC_TLS_REFRESH_MS`: how often the three files are read again (default 60 000).
 * Everything is read and checked here, at start: a wrong file stops the service with the
 * variable and path named, rather than failing every handshake later. Afterwards the files
 * are followed (ADR 020's addendum): a changed set that passes the same checks is served
 * from the next connection on; one that fails them is logged and the last good set stays.
 */
export interface GrpcTlsConfig {
  /** Served by the service's gRPC server and shown by its clients; follows the files. */
  identity: ReloadingTlsIdentity;
  allowedCallers: string[];
  /** When the certificate read at start stops being valid (logged at start; a renewed one written to the files is taken within a refresh interval). */
  certificateValidUntil: Date;
  /** How often the files are read again (OMS_GRPC_TLS_REFRESH_MS). */
  refreshIntervalMs: number;
}

export class GrpcTlsConfigError extends Error {
  override readonly name = "GrpcTlsConfigError";
}

const fileVariables = { ca: "OMS_GRPC_TLS_CA", cert: "OMS_GRPC_TLS_CERT", key: "OMS_GRPC_TLS_KEY" } as const;

export const defaultAllowedCallers = ["intake"];

/**
 * A minute: a rotation lands within one after the files are written, and reading three
 * small files a minute costs nothing. From 100 ms (the specs) to a day.
 */
export const defaultTlsRefreshMs = 60_000;
const tlsRefreshBounds = { min: 100, max: 86_400_000 };

/** The service's mutual TLS, or undefined for plaintext; throws GrpcTlsConfigError naming the variable at fault. */
export function loadGrpcTls(service: string, env: NodeJS.ProcessEnv, now: Date = new Date()): GrpcTlsConfig | undefined {
  const mode = env.OMS_GRPC_TLS ?? "";
  if (mode !== "" && mode !== "required") throw new GrpcTlsConfigError(`OMS_GRPC_TLS must be "required" or unset, got ${JSON.stringify(mode)}`);
  // Checked even in plaintext, so a typo is found before the day TLS is switched on.
  const refreshIntervalMs = tlsRefreshIntervalOf(env);
  const paths = { ca: env[fileVariables.ca] || undefined, cert: env[fileVariables.cert] || undefined, key: env[fileVariables.key] || undefined };
  const missing = (Object.keys(fileVariables) as (keyof typeof fileVariables)[]).filter((part) => paths[part] === undefined).map((part) => fileVariables[part]);
  if (missing.length === 3 && mode !== "required") return undefined;
  if (missing.length > 0) {
    const why = missing.length === 3 ? "OMS_GRPC_TLS=required" : "mutual TLS needs all three of OMS_GRPC_TLS_CA, OMS_GRPC_TLS_CERT and OMS_GRPC_TLS_KEY";
    throw new GrpcTlsConfigError(`${missing.join(", ")} ${missing.length === 1 ? "is" : "are"} not set (${why})`);
  }
  const filePaths: TlsFiles = { ca: paths.ca!, cert: paths.cert!, key: paths.key! };
  const files = { ca: readPem("ca", filePaths.ca), cert: readPem("cert", filePaths.cert), key: readPem("key", filePaths.key) };
  const certificate = checkIdentity(service, filePaths, files, now);
  const identity = new ReloadingTlsIdentity({
    files: filePaths,
    refreshIntervalMs,
    initial: files,
    // A reloaded set passes what the first did, judged at the time it is read.
    check: (candidate) => void checkIdentity(service, filePaths, candidate, new Date()),
  });
  return { identity, allowedCallers: allowedCallersOf(env), certificateValidUntil: new Date(certificate.validTo), refreshIntervalMs };
}

/** The set's own certificate, once it passed every check; throws GrpcTlsConfigError naming the variable and path at fault. */
function checkIdentity(service: string, paths: TlsFiles, files: TlsIdentity, now: Date): X509Certificate {
  const authorities = certificatesIn("ca", paths.ca, files.ca);
  const [certificate] = certificatesIn("cert", paths.cert, files.cert);
  const key = privateKeyIn(paths.key, files.key);
  checkCertificate(service, certificate!, { authorities, key, certPath: paths.cert, keyPath: paths.key, now });
  return certificate!;
}

function tlsRefreshIntervalOf(env: NodeJS.ProcessEnv): number {
  const raw = env.OMS_GRPC_TLS_REFRESH_MS;
  if (raw === undefined || raw === "") return defaultTlsRefreshMs;
  const value = Number(raw);
  if (!/^\d+$/.test(raw.trim()) || value < tlsRefreshBounds.min || value > tlsRefreshBounds.max) {
    throw new GrpcTlsConfigError(
      `OMS_GRPC_TLS_REFRESH_MS must be a whole number of milliseconds from ${tlsRefreshBounds.min} to ${tlsRefreshBounds.max}, got ${JSON.stringify(raw)}`,
    );
  }
  return value;
}

function readPem(part: keyof typeof fileVariables, path: string): Buffer {
  try {
    return readFileSync(path);
  } catch (error) {
    throw new GrpcTlsConfigError(`${fileVariables[part]}: cannot read ${path} (${(error as NodeJS.ErrnoException).code ?? (error as Error).message})`);
  }
}

const pemCertificate = /-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/g;

/** Every certificate in a PEM file: a CA file may hold the old and the new CA while one replaces the other. */
function certificatesIn(part: "ca" | "cert", path: string, pem: Buffer): X509Certificate[] {
  const blocks = pem.toString("utf8").match(pemCertificate) ?? [];
  if (blocks.length === 0) throw new GrpcTlsConfigError(`${fileVariables[part]}: ${path} holds no PEM certificate`);
  return blocks.map((block) => {
    try {
      return new X509Certificate(block);
    } catch (error) {
      throw new GrpcTlsConfigError(`${fileVariables[part]}: ${path} holds a certificate that cannot be read (${(error as Error).message})`);
    }
  });
}

function privateKeyIn(path: string, pem: Buffer): KeyObject {
  try {
    return createPrivateKey(pem);
  } catch (error) {
    throw new GrpcTlsConfigError(`OMS_GRPC_TLS_KEY: ${path} holds no private key that can be read (${(error as Error).message}); it must be unencrypted PEM`);
  }
}

/** The certificate must be this service's, current, from a trusted CA, and match the key: each a handshake failure otherwise. */
function checkCertificate(
  service: string,
  certificate: X509Certificate,
  context: { authorities: X509Certificate[]; key: KeyObject; certPath: string; keyPath: string; now: Date },
): void {
  const { certPath, keyPath, now } = context;
  const names = certificate.subjectAltName ?? "none";
  if (commonNameOf(certificate) !== service || certificate.checkHost(service, { subject: "never" }) === undefined) {
    throw new GrpcTlsConfigError(`OMS_GRPC_TLS_CERT: ${certPath} must name ${service} (CN=${service} and DNS:${service}); it names ${certificate.subject.replace(/\n/g, ", ")} (alternative names: ${names})`);
  }
  if (now < new Date(certificate.validFrom) || now > new Date(certificate.validTo)) {
    throw new GrpcTlsConfigError(`OMS_GRPC_TLS_CERT: ${certPath} is valid from ${certificate.validFrom} to ${certificate.validTo}, not now`);
  }
  if (!context.authorities.some((authority) => certificate.checkIssued(authority) && certificate.verify(authority.publicKey))) {
    throw new GrpcTlsConfigError(`OMS_GRPC_TLS_CERT: ${certPath} is not signed by a CA in OMS_GRPC_TLS_CA (issuer: ${certificate.issuer.replace(/\n/g, ", ")})`);
  }
  if (!certificate.checkPrivateKey(context.key)) {
    throw new GrpcTlsConfigError(`OMS_GRPC_TLS_KEY: ${keyPath} is not the key of the certificate in OMS_GRPC_TLS_CERT (${certPath})`);
  }
}

function commonNameOf(certificate: X509Certificate): string | undefined {
  return /^CN=(.*)$/m.exec(certificate.subject)?.[1];
}

function allowedCallersOf(env: NodeJS.ProcessEnv): string[] {
  const raw = env.OMS_GRPC_ALLOWED_CALLERS;
  if (raw === undefined || raw === "") return defaultAllowedCallers;
  const names = raw.split(",").map((name) => name.trim());
  if (names.some((name) => !/^[a-z0-9][a-z0-9.-]*$/.test(name))) {
    throw new GrpcTlsConfigError(`OMS_GRPC_ALLOWED_CALLERS must be certificate names separated by commas (e.g. intake), got ${JSON.stringify(raw)}`);
  }
  return names;
}
