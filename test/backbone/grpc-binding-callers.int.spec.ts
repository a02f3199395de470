import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { billingApi, fulfillmentApi } from "@oms/contracts";
import { bindService, createClient, startGrpcServer, type GrpcServer, type GrpcTarget } from "@oms/grpc";
import { ensureDevCertificates, type DevCertificates } from "@oms/infra";
import { createLogger } from "@oms/observability";

/**
 * A binding may admit a service besides the server's allowed callers (ADR 023): fulfillment
 * lets billing read its OrderQuery to reconcile, and billing reaches nothing else there.
 * Two bindings on one server under mutual TLS stand for fulfillment's query and its commands.
 */
let directory: string;
let certificates: DevCertificates;
let server: GrpcServer;
const opened: { close(): void }[] = [];

const target = (caller: string): GrpcTarget => {
  const files = certificates.filesOf(caller);
  return {
    address: `127.0.0.1:${server.port}`,
    tls: { identity: { ca: readFileSync(certificates.caFile), cert: readFileSync(files.cert), key: readFileSync(files.key) }, serverName: "fulfillment" },
  };
};
const orderQueryAs = (caller: string) => {
  const client = createClient(fulfillmentApi.OrderQueryService, "oms.fulfillment.v1.OrderQuery", target(caller));
  opened.push(client);
  return client;
};
// Any other binding of the same server: billing's SettlementQuery shape will do.
const otherBindingAs = (caller: string) => {
  const client = createClient(billingApi.SettlementQueryService, "oms.billing.v1.SettlementQuery", target(caller));
  opened.push(client);
  return client;
};

beforeAll(async () => {
  directory = mkdtempSync(path.join(tmpdir(), "oms-binding-callers-"));
  certificates = await ensureDevCertificates(directory);
  const files = certificates.filesOf("fulfillment");
  const answered = async () => fulfillmentApi.OrderView.fromPartial({ orderId: "o-1", status: "closed" });
  const query = bindService(
    "oms.fulfillment.v1.OrderQuery",
    fulfillmentApi.OrderQueryService,
    {
      getOrder: answered,
      listOrders: async () => fulfillmentApi.ListOrdersResponse.fromPartial({}),
      getOrderKpis: async () => fulfillmentApi.OrderKpis.fromPartial({}),
      getSalesReport: async () => fulfillmentApi.SalesReport.fromPartial({}),
      listOrderFigures: async () => fulfillmentApi.ListOrderFiguresResponse.fromPartial({}),
    },
    { alsoCallableBy: ["billing"] },
  );
  const other = bindService("oms.billing.v1.SettlementQuery", billingApi.SettlementQueryService, {
    getSettlement: async () => billingApi.SettlementView.fromPartial({ orderId: "o-1" }),
  } as never);
  server = await startGrpcServer({
    host: "127.0.0.1",
    port: 0,
    services: [query, other],
    logger: createLogger({ service: "binding-callers-test", level: "silent", pretty: false }),
    tls: { ca: readFileSync(certificates.caFile), cert: readFileSync(files.cert), key: readFileSync(files.key) },
    allowedCallers: ["intake"],
  });
}, 60_000);

afterAll(async () => {
  for (const client of opened) client.close();
  await server?.close();
  if (directory) rmSync(directory, { recursive: true, force: true });
});

describe("a binding's own callers under mutual TLS", () => {
  it("lets the service it names call that binding, besides the server's allowed callers", async () => {
    expect(await orderQueryAs("billing").getOrder({ orderId: "o-1" })).toMatchObject({ orderId: "o-1" });
    expect(await orderQueryAs("billing").listOrderFigures(fulfillmentApi.ListOrderFiguresRequest.fromPartial({ orderIds: ["o-1"] }))).toMatchObject({ orders: [] });
    expect(await orderQueryAs("intake").getOrder({ orderId: "o-1" })).toMatchObject({ orderId: "o-1" });
  });

  it("keeps the server's other bindings closed to it, and the binding closed to services it does not name", async () => {
    await expect(otherBindingAs("billing").getSettlement({ orderId: "o-1" })).rejects.toMatchObject({ kind: "forbidden", code: "grpc.caller-not-allowed" });
    await expect(orderQueryAs("dispatch").getOrder({ orderId: "o-1" })).rejects.toMatchObject({ kind: "forbidden", code: "grpc.caller-not-allowed" });
    expect(await otherBindingAs("intake").getSettlement({ orderId: "o-1" })).toMatchObject({ orderId: "o-1" });
  });
});
