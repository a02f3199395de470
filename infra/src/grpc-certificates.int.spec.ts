import { X509Certificate } from "node:crypto";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { devCertificateNames, ensureDevCertificates, whyRenew } from "./grpc-certificates.ts";

const directory = mkdtempSync(path.join(tmpdir(), "oms-dev-certificates-"));
afterAll(() => rmSync(directory, { recursive: true, force: true }));

describe("the development gRPC certificates", () => {
  it("are made once, one whole set even when stacks start side by side, each certificate naming its service and signed by the CA", async () => {
    const target = path.join(directory, "side-by-side");
    const [first, second] = await Promise.all([ensureDevCertificates(target), ensureDevCertificates(target)]);
    expect(first.caFile).toBe(second.caFile);
    const ca = new X509Certificate(readFileSync(first.caFile));
    for (const name of devCertificateNames) {
      const certificate = new X509Certificate(readFileSync(first.filesOf(name).cert));
      expect([name, certificate.subject, certificate.subjectAltName, certificate.verify(ca.publicKey)]).toEqual([name, `CN=${name}`, `DNS:${name}`, true]);
    }
    const caBefore = readFileSync(first.caFile);
    await ensureDevCertificates(target);
    expect(readFileSync(first.caFile).equals(caBefore)).toBe(true);
  });

  it("stay the set each caller was handed while others start side by side, so a stack's services and its tools share one CA", async () => {
    const target = path.join(directory, "handed-out");
    // What each caller reads as soon as it is handed the set: a stack reads its tools' identity then, its services later.
    const seen = await Promise.all([1, 2, 3].map(() => ensureDevCertificates(target).then((certificates) => readFileSync(certificates.caFile))));
    const onDisk = readFileSync(path.join(target, "ca.crt"));
    expect(seen.map((ca) => ca.equals(onDisk))).toEqual([true, true, true]);
  });

  it("are made anew when one is missing or about to expire", async () => {
    const target = path.join(directory, "renewed");
    const certificates = await ensureDevCertificates(target);
    expect(whyRenew(certificates, new Date())).toBeUndefined();
    expect(whyRenew(certificates, new Date(Date.now() + 800 * 86_400_000))).toMatch(/^ca\.crt expires|\.crt expires/);
    const caBefore = readFileSync(certificates.caFile);
    rmSync(certificates.filesOf("billing").key);
    expect(whyRenew(certificates, new Date())).toBe("billing.key is missing");
    await ensureDevCertificates(target);
    expect(whyRenew(certificates, new Date())).toBeUndefined();
    expect(readFileSync(certificates.caFile).equals(caBefore)).toBe(false);
  });
});
