import { X509Certificate, randomBytes } from "node:crypto";
import { execFile } from "node:child_process";
import { chmodSync, existsSync, mkdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from "node:fs";
import path from "node:path";
import { promisify } from "node:util";
import { serviceNames } from "@oms/service-kit";
import { moveIntoPlaceUnlessThere } from "./move-into-place.ts";

const run = promisify(execFile);

/**
 * The identity of the tools that join a local stack (the specs, the benchmark, the fault
 * harness): they act as staff apps on the services' APIs directly, so the stack lets this
 * name call besides intake (ADR 020). Production issues no such certificate.
 */
export const toolsIdentity = "tools";

/** Every name the development CA issues a certificate for. */
export const devCertificateNames = [...serviceNames, toolsIdentity] as const;

export interface DevCertificates {
  directory: string;
  caFile: string;
  /** The certificate and key files of one service (or of the tools). */
  filesOf(name: string): { cert: string; key: string };
}

/** Under .infra, beside Kafka's data: ignored by git, kept between runs. */
export const defaultCertificateDirectory = path.resolve(import.meta.dirname, "../../.infra/grpc-tls");

/** A set is renewed this long before its first certificate expires, so no service starts on one about to lapse. */
const renewBeforeDays = 30;
const caValidityDays = 3650;
const certificateValidityDays = 825;

function filesIn(directory: string): DevCertificates {
  return {
    directory,
    caFile: path.join(directory, "ca.crt"),
    filesOf: (name) => ({ cert: path.join(directory, `${name}.crt`), key: path.join(directory, `${name}.key`) }),
  };
}

/**
 * The development CA and one certificate per service (and the tools), made once with the
 * openssl CLI and made anew when one is missing or expires within 30 days. The set is made
 * in a directory of its own and moved into place in one rename, so stacks starting side by
 * side (parallel e2e specs) all see one whole set; the CA's key stays with it, unused after.
 * One process at a time makes a set, and only if the set is still wanting once it may: a
 * stack that was handed a set (its tools' identity read, its services not yet spawned) must
 * not have it replaced by another stack's, whose CA its tools' certificate would not be from.
 */
export async function ensureDevCertificates(directory = defaultCertificateDirectory, say: (message: string) => void = () => {}): Promise<DevCertificates> {
  const wanted = filesIn(directory);
  if (whyRenew(wanted, new Date()) === undefined) return wanted;
  return whileIssuing(directory, async () => {
    // Asked again: whoever held the lock before may have made the set meanwhile.
    const problem = whyRenew(wanted, new Date());
    if (problem === undefined) return wanted;
    say(`making development gRPC certificates in ${directory} (${problem})`);
    const staging = `${directory}.staging-${process.pid}-${randomBytes(4).toString("hex")}`;
    mkdirSync(staging, { recursive: true, mode: 0o700 });
    try {
      await issueSet(staging);
    } catch (error) {
      rmSync(staging, { recursive: true, force: true });
      throw error;
    }
    if (existsSync(directory)) retire(directory);
    moveIntoPlaceUnlessThere(staging, directory);
    return wanted;
  });
}

/** Making a set takes openssl a second or two; a lock this old was left by a process that died making one. */
const abandonedLockMs = 120_000;

/**
 * Runs `work` holding `<directory>.lock` (mkdir is atomic across processes), waiting while
 * another process holds it; a lock left behind by a process that died is taken over.
 */
async function whileIssuing<T>(directory: string, work: () => Promise<T>): Promise<T> {
  const lock = `${directory}.lock`;
  mkdirSync(path.dirname(directory), { recursive: true });
  for (;;) {
    try {
      mkdirSync(lock);
      break;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== "EEXIST") throw error;
    }
    if (lockAgeMs(lock) > abandonedLockMs) rmSync(lock, { recursive: true, force: true });
    else await new Promise((resolve) => setTimeout(resolve, 100));
  }
  try {
    return await work();
  } finally {
    rmSync(lock, { recursive: true, force: true });
  }
}

function lockAgeMs(lock: string): number {
  try {
    return Date.now() - statSync(lock).mtimeMs;
  } catch {
    return 0; // released meanwhile: try again at once
  }
}

/** Why the set at `certificates` will not do, or undefined when it will. */
export function whyRenew(certificates: DevCertificates, now: Date): string | undefined {
  const files = [certificates.caFile, ...devCertificateNames.flatMap((name) => Object.values(certificates.filesOf(name)))];
  const absent = files.find((file) => !existsSync(file));
  if (absent) return `${path.basename(absent)} is missing`;
  const renewBy = new Date(now.getTime() + renewBeforeDays * 86_400_000);
  for (const file of files.filter((f) => f.endsWith(".crt"))) {
    const certificate = new X509Certificate(readFileSync(file));
    if (new Date(certificate.validTo) < renewBy) return `${path.basename(file)} expires ${certificate.validTo}`;
  }
  return undefined;
}

/** An outdated set goes aside first; another process may have done so already (ENOENT), which is fine. */
function retire(directory: string): void {
  const aside = `${directory}.retired-${process.pid}-${randomBytes(4).toString("hex")}`;
  try {
    renameSync(directory, aside);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== "ENOENT") throw error;
    return;
  }
  rmSync(aside, { recursive: true, force: true });
}

async function issueSet(directory: string): Promise<void> {
  const { caFile, filesOf } = filesIn(directory);
  const caKey = path.join(directory, "ca.key");
  // prettier-ignore
  await openssl([
    "req", "-x509", "-new", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes",
    "-keyout", caKey, "-out", caFile, "-days", String(caValidityDays), "-subj", "/CN=OMS development gRPC CA",
    "-addext", "basicConstraints=critical,CA:TRUE", "-addext", "keyUsage=critical,keyCertSign,cRLSign",
  ]);
  for (const name of devCertificateNames) {
    const { cert, key } = filesOf(name);
    const request = path.join(directory, `${name}.csr`);
    const extensions = path.join(directory, `${name}.ext`);
    // The name twice: CN is what the servers read as the caller, the DNS name is what clients verify.
    writeFileSync(
      extensions,
      [
        "basicConstraints=critical,CA:FALSE",
        "keyUsage=critical,digitalSignature",
        "extendedKeyUsage=serverAuth,clientAuth",
        `subjectAltName=DNS:${name}`,
      ].join("\n") + "\n",
    );
    // prettier-ignore
    await openssl(["req", "-new", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes", "-keyout", key, "-out", request, "-subj", `/CN=${name}`]);
    // prettier-ignore
    await openssl([
      "x509", "-req", "-in", request, "-CA", caFile, "-CAkey", caKey, "-set_serial", `0x${randomBytes(16).toString("hex")}`,
      "-days", String(certificateValidityDays), "-extfile", extensions, "-out", cert,
    ]);
    rmSync(request);
    rmSync(extensions);
    chmodSync(key, 0o600);
  }
  chmodSync(caKey, 0o600);
}

async function openssl(args: string[]): Promise<void> {
  try {
    await run("openssl", args);
  } catch (error) {
    const failure = error as NodeJS.ErrnoException & { stderr?: string };
    if (failure.code === "ENOENT") throw new Error("the openssl command is needed to make the development gRPC certificates, and it is not on PATH", { cause: error });
    throw new Error(`openssl ${args[0]} failed: ${failure.stderr?.trim() || failure.message}`, { cause: error });
  }
}
