import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { fulfillmentApi } from "@oms/contracts";
import { bindService, checkHealth, createClient, startGrpcServer, type GrpcServer, type GrpcTarget, type TlsIdentity } from "@oms/grpc";
import { ensureDevCertificates, type DevCertificates } from "@oms/infra";
import { createLogger } from "@oms/observability";

/**
 * Mutual TLS on a service's gRPC (ADR 020): only a client with a certificate from the
 * chain's CA gets an answer, only from the server it expects, and only an allowed caller
 * reaches the service's API. Fulfillment's OrderQuery stands for any service.
 */
let directory: string;
let ours: DevCertificates;
let foreign: DevCertificates;
let server: GrpcServer;
const opened: { close(): void }[] = [];

function identityOf(certificates: DevCertificates, name: string): TlsIdentity {
  const files = certificates.filesOf(name);
  return { ca: readFileSync(certificates.caFile), cert: readFileSync(files.cert), key: readFileSync(files.key) };
}

function orderQueryAt(target: GrpcTarget) {
  const client = createClient(fulfillmentApi.OrderQueryService, "oms.fulfillment.v1.OrderQuery", target);
  opened.push(client);
  return client;
}

const address = () => `127.0.0.1:${server.port}`;
const asService = (name: string, serverName = "fulfillment", certificates = ours): GrpcTarget => ({
  address: address(),
  tls: { identity: identityOf(certificates, name), serverName },
});
const unknownOrder = { orderId: "00000000-0000-4000-8000-000000000000" };

beforeAll(async () => {
  directory = mkdtempSync(path.join(tmpdir(), "oms-mtls-"));
  // Two independent sets: the chain's CA and another one nobody here trusts.
  [ours, foreign] = await Promise.all([ensureDevCertificates(path.join(directory, "ours")), ensureDevCertificates(path.join(directory, "foreign"))]);
  const service = bindService("oms.fulfillment.v1.OrderQuery", fulfillmentApi.OrderQueryService, {
    getOrder: async (request) => fulfillmentApi.OrderView.fromPartial({ orderId: request.orderId, status: "created" }),
    listOrders: async () => fulfillmentApi.ListOrdersResponse.fromPartial({}),
    getOrderKpis: async () => fulfillmentApi.OrderKpis.fromPartial({}),
    getSalesReport: async () => fulfillmentApi.SalesReport.fromPartial({}),
    listOrderFigures: async () => fulfillmentApi.ListOrderFiguresResponse.fromPartial({}),
  });
  const logger = createLogger({ service: "grpc-tls-test", level: "silent", pretty: false });
  server = await startGrpcServer({ host: "127.0.0.1", port: 0, services: [service], logger, tls: identityOf(ours, "fulfillment"), allowedCallers: ["intake"] });
}, 60_000);

afterAll(async () => {
  for (const client of opened) client.close();
  await server?.close();
  if (directory) rmSync(directory, { recursive: true, force: true });
});

describe("gRPC between the services, under mutual TLS", () => {
  it("answers a caller with a certificate from the CA, at 127.0.0.1, checked against the service's name", async () => {
    await expect(orderQueryAt(asService("intake")).getOrder(unknownOrder)).resolves.toMatchObject({ orderId: unknownOrder.orderId, status: "created" });
  });

  it("refuses a plaintext client: it never gets past the handshake", async () => {
    await expect(orderQueryAt(address()).getOrder(unknownOrder, { deadlineMs: 2_000 })).rejects.toMatchObject({ kind: "unavailable" });
  });

  it("refuses a client whose certificate comes from another CA", async () => {
    const stranger: GrpcTarget = { address: address(), tls: { identity: { ...identityOf(foreign, "intake"), ca: readFileSync(ours.caFile) }, serverName: "fulfillment" } };
    await expect(orderQueryAt(stranger).getOrder(unknownOrder, { deadlineMs: 2_000 })).rejects.toMatchObject({ kind: "unavailable" });
  });

  it("is refused by a client that expects another service there", async () => {
    const call = orderQueryAt(asService("intake", "billing")).getOrder(unknownOrder, { deadlineMs: 2_000 });
    await expect(call).rejects.toMatchObject({ kind: "unavailable" });
    await expect(call).rejects.toThrow("Host: billing. is not in the cert's altnames: DNS:fulfillment");
  });

  it("is refused by a client that trusts another CA only", async () => {
    const wary: GrpcTarget = { address: address(), tls: { identity: { ...identityOf(ours, "intake"), ca: readFileSync(foreign.caFile) }, serverName: "fulfillment" } };
    const call = orderQueryAt(wary).getOrder(unknownOrder, { deadlineMs: 2_000 });
    await expect(call).rejects.toMatchObject({ kind: "unavailable" });
    await expect(call).rejects.toThrow("self-signed certificate in certificate chain");
  });

  it("lets only the allowed callers reach the API: another service's certificate is refused by name", async () => {
    const refusal = orderQueryAt(asService("billing")).getOrder(unknownOrder);
    await expect(refusal).rejects.toMatchObject({ kind: "forbidden", code: "grpc.caller-not-allowed" });
    await expect(refusal).rejects.toThrow("billing may not call oms.fulfillment.v1.OrderQuery/getOrder; only intake may");
  });

  it("answers health to any certificate from the CA, and to nobody else", async () => {
    expect(await checkHealth(asService("billing"))).toBe("SERVING");
    expect(await checkHealth(asService("tools"))).toBe("SERVING");
    expect(await checkHealth(address())).toBe("NOT_SERVING");
    expect(await checkHealth(asService("intake", "fulfillment", foreign))).toBe("NOT_SERVING");
  });
});
