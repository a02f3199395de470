import { randomUUID } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { Writable } from "node:stream";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { billingApi } from "@oms/contracts";
import { createClient, type TlsIdentity } from "@oms/grpc";
import { createLogger } from "@oms/observability";
import { startService, type RunningService } from "@oms/service-kit";
import { createTestNamespace, devPem, oldAndNewCertificateAuthorities, presentedCertificate, rotatableCertificateFiles, testServiceConfig, type DevCertificates, type TestNamespace } from "@oms/testing";
import { defineBillingService } from "./service.ts";

/**
 * A whole service under mutual TLS follows its certificate files (ADR 020's addendum):
 * billing, started as main.ts starts it, is rotated to a certificate of a new CA without a
 * restart, and a half-done rotation on the way does not take it down.
 */
let root: string;
let one: DevCertificates;
let two: DevCertificates;
let namespace: TestNamespace;
let billing: RunningService;
let files: ReturnType<typeof rotatableCertificateFiles>;
const lines: string[] = [];
const opened: { close(): void }[] = [];

beforeAll(async () => {
  root = mkdtempSync(path.join(tmpdir(), "oms-billing-tls-"));
  [one, two] = await oldAndNewCertificateAuthorities(root);
  // Step one of a CA change is done: the bundle holds both CAs; billing still shows the old CA's certificate.
  files = rotatableCertificateFiles(root, "billing", { ca: devPem.ca(one, two), cert: devPem.cert(one, "billing"), key: devPem.key(one, "billing") });
  namespace = await createTestNamespace();
  const destination = new Writable({ write: (chunk, _encoding, done) => (lines.push(String(chunk)), done()) });
  const logger = createLogger({ service: "billing", level: "info", pretty: false, destination });
  const config = testServiceConfig("billing", namespace, { ...files.env, OMS_GRPC_TLS: "required", OMS_GRPC_TLS_REFRESH_MS: "150" });
  billing = await startService(defineBillingService({}), config, logger);
}, 120_000);

afterAll(async () => {
  for (const client of opened) client.close();
  await billing?.stop();
  await namespace?.drop();
  if (root) rmSync(root, { recursive: true, force: true });
});

/** Intake with the old CA's certificate and a bundle of both CAs, as step one of a CA change leaves it. */
const asIntake = (): TlsIdentity => ({ ca: devPem.ca(one, two), cert: devPem.cert(one, "intake"), key: devPem.key(one, "intake") });

/** A new connection each time (a fresh identity object), as intake's would be after a reconnect. */
async function askedByIntake() {
  const client = createClient(billingApi.SettlementQueryService, "oms.billing.v1.SettlementQuery", {
    address: `127.0.0.1:${billing.grpc.port}`,
    tls: { identity: asIntake(), serverName: "billing" },
  });
  opened.push(client);
  return client.getSettlement({ orderId: randomUUID() });
}

describe("billing's gRPC certificate, rotated without a restart", () => {
  it("says at start how often it reads its files", () => {
    const started = lines.map((line) => JSON.parse(line)).find((entry) => entry.msg === "billing started");
    expect(started).toMatchObject({ grpcTransport: { security: "mutual-tls", refreshIntervalMs: 150 } });
  });

  it("keeps answering through a half-done rotation and shows the new CA's certificate once it is whole", async () => {
    await expect(askedByIntake()).rejects.toMatchObject({ kind: "not-found" });
    const presented = () => presentedCertificate(billing.grpc.port, asIntake(), "billing");
    expect(await presented()).toBe(devPem.fingerprintOf(one, "billing"));

    // The new certificate is written, its key not yet.
    files.rotate({ cert: devPem.cert(two, "billing") });
    await vi.waitFor(() => expect(lines.some((line) => line.includes("gRPC TLS reload refused"))).toBe(true), { timeout: 5_000, interval: 50 });
    await expect(askedByIntake()).rejects.toMatchObject({ kind: "not-found" });
    expect(await presented()).toBe(devPem.fingerprintOf(one, "billing"));

    files.rotate({ key: devPem.key(two, "billing") });
    await vi.waitFor(async () => expect(await presented()).toBe(devPem.fingerprintOf(two, "billing")), { timeout: 5_000, interval: 50 });
    await expect(askedByIntake()).rejects.toMatchObject({ kind: "not-found" });
    expect(lines.join("")).not.toContain("PRIVATE KEY");
  });
});
