import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { Writable } from "node:stream";
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from "vitest";
import { fulfillmentApi } from "@oms/contracts";
import { bindService, createClient, startGrpcServer, type GrpcServer, type TlsCredentialsSource, type TlsReloadEvent } from "@oms/grpc";
import { createLogger } from "@oms/observability";
import { loadGrpcTls, type GrpcTlsConfig } from "@oms/service-kit";
import { devPem, oldAndNewCertificateAuthorities, presentedCertificate, rotatableCertificateFiles, type DevCertificates, type PemSet } from "@oms/testing";

/**
 * Certificates are taken without a restart (ADR 020's addendum): a service's server and
 * clients follow their files, as the services build them (loadGrpcTls), every
 * OMS_GRPC_TLS_REFRESH_MS; a set that would not work is refused and the last good one
 * keeps serving. Two development sets stand for the old CA (1) and the new one (2).
 */
const refreshMs = 150;
const waitForReload = { timeout: 5_000, interval: 50 };
let root: string;
let one: DevCertificates;
let two: DevCertificates;
const cleanups: (() => unknown)[] = [];

beforeAll(async () => {
  root = mkdtempSync(path.join(tmpdir(), "oms-tls-reload-"));
  [one, two] = await oldAndNewCertificateAuthorities(root);
}, 60_000);

afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

afterAll(() => {
  if (root) rmSync(root, { recursive: true, force: true });
});

function tlsOf(name: string, files: Record<string, string>): GrpcTlsConfig {
  const tls = loadGrpcTls(name, { ...files, OMS_GRPC_TLS_REFRESH_MS: String(refreshMs) });
  if (!tls) throw new Error("expected mutual TLS");
  return tls;
}

/** Fulfillment's OrderQuery over the identity, logging into `lines`. */
async function startFulfillment(tls: GrpcTlsConfig) {
  const lines: string[] = [];
  const destination = new Writable({ write: (chunk, _encoding, done) => (lines.push(String(chunk)), done()) });
  const logger = createLogger({ service: "fulfillment", level: "info", pretty: false, destination });
  const events: TlsReloadEvent[] = [];
  cleanups.push(tls.identity.onReload((event) => events.push(event)));
  const service = bindService("oms.fulfillment.v1.OrderQuery", fulfillmentApi.OrderQueryService, {
    getOrder: async (request) => fulfillmentApi.OrderView.fromPartial({ orderId: request.orderId, status: "created" }),
    listOrders: async () => fulfillmentApi.ListOrdersResponse.fromPartial({}),
    getOrderKpis: async () => fulfillmentApi.OrderKpis.fromPartial({}),
    getSalesReport: async () => fulfillmentApi.SalesReport.fromPartial({}),
    listOrderFigures: async () => fulfillmentApi.ListOrderFiguresResponse.fromPartial({}),
  });
  const server: GrpcServer = await startGrpcServer({ host: "127.0.0.1", port: 0, services: [service], logger, tls: tls.identity, allowedCallers: ["intake"] });
  cleanups.push(() => server.close());
  return { server, lines, events };
}

function orderQueryAt(port: number, identity: TlsCredentialsSource) {
  const client = createClient(fulfillmentApi.OrderQueryService, "oms.fulfillment.v1.OrderQuery", { address: `127.0.0.1:${port}`, tls: { identity, serverName: "fulfillment" } });
  cleanups.push(() => client.close());
  return client;
}

const unknownOrder = { orderId: "00000000-0000-4000-8000-000000000000" };

const presentedBy = (port: number, as: PemSet) => presentedCertificate(port, as, "fulfillment");

describe("gRPC certificates, taken without a restart", () => {
  it("moves a server and its client to a new CA step by step: each new connection shows and checks the reloaded certificates", async () => {
    const serverFiles = rotatableCertificateFiles(root, "fulfillment", { ca: devPem.ca(one), cert: devPem.cert(one, "fulfillment"), key: devPem.key(one, "fulfillment") });
    const clientFiles = rotatableCertificateFiles(root, "intake", { ca: devPem.ca(one), cert: devPem.cert(one, "intake"), key: devPem.key(one, "intake") });
    const serverTls = tlsOf("fulfillment", serverFiles.env);
    const clientTls = tlsOf("intake", clientFiles.env);
    const { server, events, lines } = await startFulfillment(serverTls);
    const intake = orderQueryAt(server.port, clientTls.identity);
    const asIntake = { ca: devPem.ca(one, two), cert: devPem.cert(one, "intake"), key: devPem.key(one, "intake") };

    await expect(intake.getOrder(unknownOrder)).resolves.toMatchObject({ orderId: unknownOrder.orderId });
    expect(await presentedBy(server.port, asIntake)).toBe(devPem.fingerprintOf(one, "fulfillment"));

    // Step 1: every bundle holds the old CA and the new one.
    clientFiles.rotate({ ca: devPem.ca(one, two) });
    serverFiles.rotate({ ca: devPem.ca(one, two) });
    await vi.waitFor(() => expect(clientTls.identity.current().ca.equals(devPem.ca(one, two))).toBe(true), waitForReload);
    await vi.waitFor(() => expect(events).toContainEqual(expect.objectContaining({ kind: "taken", changed: ["ca"], authorities: 2 })), waitForReload);

    // Step 2: the server's certificate and key from the new CA.
    serverFiles.rotate({ key: devPem.key(two, "fulfillment"), cert: devPem.cert(two, "fulfillment") });
    await vi.waitFor(async () => expect(await presentedBy(server.port, asIntake)).toBe(devPem.fingerprintOf(two, "fulfillment")), waitForReload);
    const taken = events.filter((event) => event.kind === "taken").at(-1);
    expect(taken).toMatchObject({ changed: expect.arrayContaining(["cert", "key"]), certificate: { subject: "CN=fulfillment", fingerprint256: devPem.fingerprintOf(two, "fulfillment") } });

    // A connection made now checks the new certificate against the reloaded bundle and its name: it answers.
    const afterRotation = orderQueryAt(server.port, tlsOf("intake", clientFiles.env).identity);
    await expect(afterRotation.getOrder(unknownOrder)).resolves.toMatchObject({ orderId: unknownOrder.orderId });
    await expect(intake.getOrder(unknownOrder)).resolves.toMatchObject({ orderId: unknownOrder.orderId });

    // The client's certificate from the new CA too, then step 3: the old CA retired everywhere.
    clientFiles.rotate({ key: devPem.key(two, "intake"), cert: devPem.cert(two, "intake") });
    await vi.waitFor(() => expect(clientTls.identity.current().cert.equals(devPem.cert(two, "intake"))).toBe(true), waitForReload);
    clientFiles.rotate({ ca: devPem.ca(two) });
    serverFiles.rotate({ ca: devPem.ca(two) });
    await vi.waitFor(() => expect(clientTls.identity.current().ca.equals(devPem.ca(two))).toBe(true), waitForReload);
    await vi.waitFor(() => expect(events).toContainEqual(expect.objectContaining({ kind: "taken", changed: ["ca"], authorities: 1 })), waitForReload);
    // The server's new bundle closed the client's connection; every call from here reconnects
    // showing the client's reloaded certificate (its old one is no longer trusted), and keeps answering.
    for (let call = 0; call < 5; call++) {
      await expect(intake.getOrder(unknownOrder, { deadlineMs: 1_000 })).resolves.toMatchObject({ orderId: unknownOrder.orderId });
      await new Promise((resolve) => setTimeout(resolve, 100));
    }

    const reloadLines = lines.filter((line) => line.includes("gRPC TLS certificates reloaded"));
    expect(reloadLines.length).toBeGreaterThanOrEqual(2);
    expect(JSON.parse(reloadLines.at(-1)!)).toMatchObject({ level: "info", grpcTls: { certificate: { subject: "CN=fulfillment" }, files: { cert: serverFiles.env.OMS_GRPC_TLS_CERT } } });
    expect(lines.join("")).not.toContain("PRIVATE KEY");
  });

  it("refuses a client of a CA it no longer trusts once its bundle is reloaded, on the connection that client had open too", async () => {
    const serverFiles = rotatableCertificateFiles(root, "fulfillment", { ca: devPem.ca(one, two), cert: devPem.cert(two, "fulfillment"), key: devPem.key(two, "fulfillment") });
    const { server, events } = await startFulfillment(tlsOf("fulfillment", serverFiles.env));
    const ofOldCa = orderQueryAt(server.port, { ca: devPem.ca(one, two), cert: devPem.cert(one, "intake"), key: devPem.key(one, "intake") });
    const ofNewCa = orderQueryAt(server.port, { ca: devPem.ca(two), cert: devPem.cert(two, "intake"), key: devPem.key(two, "intake") });
    await expect(ofOldCa.getOrder(unknownOrder)).resolves.toMatchObject({ orderId: unknownOrder.orderId });
    await expect(ofNewCa.getOrder(unknownOrder)).resolves.toMatchObject({ orderId: unknownOrder.orderId });

    // The old CA is retired.
    serverFiles.rotate({ ca: devPem.ca(two) });
    await vi.waitFor(() => expect(events).toContainEqual(expect.objectContaining({ kind: "taken", changed: ["ca"], authorities: 1 })), waitForReload);

    // Its open connection was asked to go; the reconnection's handshake is refused.
    await vi.waitFor(() => expect(ofOldCa.getOrder(unknownOrder, { deadlineMs: 1_000 })).rejects.toMatchObject({ kind: "unavailable" }), waitForReload);
    const newcomer = orderQueryAt(server.port, { ca: devPem.ca(one, two), cert: devPem.cert(one, "intake"), key: devPem.key(one, "intake") });
    await expect(newcomer.getOrder(unknownOrder, { deadlineMs: 1_000 })).rejects.toMatchObject({ kind: "unavailable" });
    await expect(ofNewCa.getOrder(unknownOrder)).resolves.toMatchObject({ orderId: unknownOrder.orderId });
  });

  it("keeps serving the last good certificates through a half-done rotation, a broken file and a missing one, and takes the set once it is whole", async () => {
    const serverFiles = rotatableCertificateFiles(root, "fulfillment", { ca: devPem.ca(one, two), cert: devPem.cert(one, "fulfillment"), key: devPem.key(one, "fulfillment") });
    const { server, events, lines } = await startFulfillment(tlsOf("fulfillment", serverFiles.env));
    const asIntake = { ca: devPem.ca(one, two), cert: devPem.cert(one, "intake"), key: devPem.key(one, "intake") };
    const stillServing = async () => {
      expect(await presentedBy(server.port, asIntake)).toBe(devPem.fingerprintOf(one, "fulfillment"));
      // A fresh identity each time, so the call opens a connection of its own.
      const client = orderQueryAt(server.port, { ...asIntake });
      await expect(client.getOrder(unknownOrder)).resolves.toMatchObject({ orderId: unknownOrder.orderId });
    };
    const refusals = () => events.filter((event): event is Extract<TlsReloadEvent, { kind: "refused" }> => event.kind === "refused");

    // The new certificate beside the old key.
    serverFiles.rotate({ cert: devPem.cert(two, "fulfillment") });
    await vi.waitFor(() => expect(refusals().at(-1)?.reason).toMatch(/key values mismatch|is not the key of the certificate/), waitForReload);
    await stillServing();

    // Another service's certificate and key: a whole pair, but not this service's.
    serverFiles.rotate({ key: devPem.key(two, "archive"), cert: devPem.cert(two, "archive") });
    await vi.waitFor(() => expect(refusals().at(-1)?.reason).toMatch(/must name fulfillment/), waitForReload);
    await stillServing();

    // Half a certificate file.
    serverFiles.rotate({ key: devPem.key(two, "fulfillment"), cert: devPem.cert(two, "fulfillment").subarray(0, 200) });
    await vi.waitFor(() => expect(refusals().at(-1)?.reason).toMatch(/PEM routines|holds no PEM certificate/), waitForReload);
    await stillServing();

    // A file taken away.
    rmSync(serverFiles.env.OMS_GRPC_TLS_CERT);
    await vi.waitFor(() => expect(events.at(-1)).toMatchObject({ kind: "unreadable", files: [serverFiles.env.OMS_GRPC_TLS_CERT, serverFiles.env.OMS_GRPC_TLS_KEY] }), waitForReload);
    await stillServing();

    // Whole again: taken.
    serverFiles.rotate({ cert: devPem.cert(two, "fulfillment") });
    await vi.waitFor(async () => expect(await presentedBy(server.port, asIntake)).toBe(devPem.fingerprintOf(two, "fulfillment")), waitForReload);

    const failures = lines.filter((line) => JSON.parse(line).level === "error").map((line) => JSON.parse(line));
    expect(failures).toContainEqual(expect.objectContaining({ msg: expect.stringContaining("reload refused"), grpcTls: expect.objectContaining({ reason: expect.stringMatching(/must name fulfillment/) }) }));
    expect(failures).toContainEqual(expect.objectContaining({ msg: expect.stringContaining("a file cannot be read") }));
    expect(lines.join("")).not.toContain("PRIVATE KEY");
  });
});
