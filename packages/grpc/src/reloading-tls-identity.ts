import { X509Certificate } from "node:crypto";
import { createSecureContext } from "node:tls";
import { experimental } from "@grpc/grpc-js";
import type { TlsIdentity } from "./transport-security.ts";

type CaListener = experimental.CaCertificateUpdateListener;
type IdentityListener = experimental.IdentityCertificateUpdateListener;
type CaRead = experimental.CaCertificateUpdate | null;
type IdentityRead = experimental.IdentityCertificateUpdate | null;

/** Where a process's CA bundle, certificate and key live (PEM); read again every refresh interval. */
export interface TlsFiles {
  ca: string;
  cert: string;
  key: string;
}

export interface ReloadingTlsOptions {
  files: TlsFiles;
  /** How often the three files are read again (grpc-js reads all three at every interval, changed or not). */
  refreshIntervalMs: number;
  /** The set read and checked at start: served until the files hold another good set. */
  initial: TlsIdentity;
  /**
   * Throws, saying why, when a set read from the files must not be taken (a service checks
   * that it names itself, is current and comes from a CA of the bundle). Besides it, every
   * set must make a Node TLS context and its bundle hold a certificate.
   */
  check?: (identity: TlsIdentity) => void;
}

/** What a certificate says about itself, for the logs: never key material. */
export interface CertificateSummary {
  subject: string;
  issuer: string;
  serialNumber: string;
  fingerprint256: string;
  validTo: string;
}

export type TlsReloadEvent =
  /** A new set is served and shown from now on (new connections; open ones keep their handshake). */
  | { kind: "taken"; changed: TlsPart[]; certificate: CertificateSummary; authorities: number }
  /** The files changed but hold a set that would not work; the last good set stays. */
  | { kind: "refused"; changed: TlsPart[]; reason: string }
  /** A file could not be read (missing mid-rotation); the last good set stays. */
  | { kind: "unreadable"; files: string[] };

export type TlsPart = keyof TlsIdentity;
const parts: readonly TlsPart[] = ["ca", "cert", "key"];

/**
 * A process's mutual-TLS identity that follows its files (ADR 020, addendum): grpc-js's
 * FileWatcherCertificateProvider reads them every `refreshIntervalMs`, and this provider
 * stands between it and the server's and channels' credentials, passing a set on only when
 * it differs from the one served and would work. That guard is the point: grpc-js hands
 * whatever it read to Node, and a set Node refuses (a new certificate beside the old key,
 * half a file) or a file it could not read makes its server drop every new connection
 * until the next good read. Here the last good set keeps serving instead, and the event says why.
 *
 * One per process and identity, shared by its server and all its clients, so the files are
 * read once per interval; the reading runs only while a server or channel uses it.
 */
export class ReloadingTlsIdentity implements experimental.CertificateProvider {
  readonly files: TlsFiles;
  readonly refreshIntervalMs: number;
  readonly #check: ((identity: TlsIdentity) => void) | undefined;
  readonly #watcher: experimental.FileWatcherCertificateProvider;
  readonly #caListeners = new Set<CaListener>();
  readonly #identityListeners = new Set<IdentityListener>();
  readonly #reloadListeners = new Set<(event: TlsReloadEvent) => void>();
  #current: TlsIdentity;
  #watching = false;
  /** What one read of the files delivered so far: grpc-js hands the identity and the CA over one after the other. */
  #read: { identity?: IdentityRead; ca?: CaRead } | undefined;

  constructor(options: ReloadingTlsOptions) {
    this.files = options.files;
    this.refreshIntervalMs = options.refreshIntervalMs;
    this.#check = options.check;
    this.#current = options.initial;
    this.#watcher = new experimental.FileWatcherCertificateProvider({
      caCertificateFile: options.files.ca,
      certificateFile: options.files.cert,
      privateKeyFile: options.files.key,
      refreshIntervalMs: options.refreshIntervalMs,
    });
  }

  /** The set served now. */
  current(): TlsIdentity {
    return this.#current;
  }

  /** Calls `listener` at every reload taken, refused or failed; returns the way to stop. */
  onReload(listener: (event: TlsReloadEvent) => void): () => void {
    this.#reloadListeners.add(listener);
    return () => this.#reloadListeners.delete(listener);
  }

  addCaCertificateListener(listener: CaListener): void {
    this.#caListeners.add(listener);
    this.#watchWhileListened();
    // On the next tick, as grpc-js's own providers do: a server registers its context
    // watcher only after this returns, and would miss a synchronous answer.
    process.nextTick(() => this.#caListeners.has(listener) && listener({ caCertificate: this.#current.ca }));
  }

  removeCaCertificateListener(listener: CaListener): void {
    this.#caListeners.delete(listener);
    this.#stopWatchingUnlessListened();
  }

  addIdentityCertificateListener(listener: IdentityListener): void {
    this.#identityListeners.add(listener);
    this.#watchWhileListened();
    process.nextTick(() => this.#identityListeners.has(listener) && listener({ certificate: this.#current.cert, privateKey: this.#current.key }));
  }

  removeIdentityCertificateListener(listener: IdentityListener): void {
    this.#identityListeners.delete(listener);
    this.#stopWatchingUnlessListened();
  }

  readonly #onIdentityRead = (update: IdentityRead) => this.#collect({ identity: update });
  readonly #onCaRead = (update: CaRead) => this.#collect({ ca: update });

  #watchWhileListened(): void {
    if (this.#watching) return;
    this.#watching = true;
    this.#watcher.addIdentityCertificateListener(this.#onIdentityRead);
    this.#watcher.addCaCertificateListener(this.#onCaRead);
  }

  /** The watcher's timer keeps a process alive: it stops once no server or channel uses the identity. */
  #stopWatchingUnlessListened(): void {
    if (!this.#watching || this.#caListeners.size > 0 || this.#identityListeners.size > 0) return;
    this.#watching = false;
    this.#read = undefined;
    this.#watcher.removeIdentityCertificateListener(this.#onIdentityRead);
    this.#watcher.removeCaCertificateListener(this.#onCaRead);
  }

  /**
   * grpc-js delivers one read's identity and CA synchronously one after the other; the set
   * is judged once both are in, so a new CA and the certificate it signed arrive together.
   */
  #collect(part: { identity?: IdentityRead; ca?: CaRead }): void {
    const first = this.#read === undefined;
    this.#read = { ...this.#read, ...part };
    if (first) queueMicrotask(() => this.#consider());
  }

  #consider(): void {
    const read = this.#read;
    this.#read = undefined;
    if (!read || !this.#watching) return;
    // All three files or none: a set is not patched together from what happened to be readable.
    const unreadable = [...(read.identity === null ? [this.files.cert, this.files.key] : []), ...(read.ca === null ? [this.files.ca] : [])];
    if (unreadable.length > 0) return this.#report({ kind: "unreadable", files: unreadable });
    const candidate: TlsIdentity = {
      ca: read.ca?.caCertificate ?? this.#current.ca,
      cert: read.identity?.certificate ?? this.#current.cert,
      key: read.identity?.privateKey ?? this.#current.key,
    };
    const changed = parts.filter((part) => !candidate[part].equals(this.#current[part]));
    if (changed.length === 0) return;
    const problem = problemWith(candidate, this.#check);
    if (problem !== undefined) return this.#report({ kind: "refused", changed, reason: problem });
    this.#current = candidate;
    for (const listener of this.#identityListeners) listener({ certificate: candidate.cert, privateKey: candidate.key });
    for (const listener of this.#caListeners) listener({ caCertificate: candidate.ca });
    this.#report({ kind: "taken", changed, certificate: summaryOf(candidate.cert), authorities: certificatesIn(candidate.ca).length });
  }

  #report(event: TlsReloadEvent): void {
    for (const listener of this.#reloadListeners) listener(event);
  }
}

const pemCertificate = /-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/g;

function certificatesIn(pem: Buffer): string[] {
  return pem.toString("utf8").match(pemCertificate) ?? [];
}

/** Why a set must not be served, or undefined when it may. */
function problemWith(identity: TlsIdentity, check: ((identity: TlsIdentity) => void) | undefined): string | undefined {
  try {
    // The very call grpc-js makes with it (the server's setSecureContext, a channel's
    // connection): a certificate beside another's key or a cut-off PEM fails here.
    createSecureContext({ ca: identity.ca, cert: identity.cert, key: identity.key });
    // Node takes a CA bundle without a certificate in it, and would then trust nobody.
    if (certificatesIn(identity.ca).length === 0) return "the CA file holds no PEM certificate";
    check?.(identity);
    return undefined;
  } catch (error) {
    return (error as Error).message;
  }
}

function summaryOf(cert: Buffer): CertificateSummary {
  const certificate = new X509Certificate(cert);
  const { subject, issuer, serialNumber, fingerprint256, validTo } = certificate;
  return { subject: subject.replace(/\n/g, ", "), issuer: issuer.replace(/\n/g, ", "), serialNumber, fingerprint256, validTo };
}
