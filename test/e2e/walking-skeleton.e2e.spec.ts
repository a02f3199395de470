import { readFileSync } from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { archiveApi } from "@oms/contracts";
import { createClient } from "@oms/grpc";
import { repositoryRoot } from "@oms/infra";
import { callerHeaders, eventually } from "@oms/testing";
import { startSystem, type SystemUnderTest } from "../support/system-under-test.ts";

/**
 * The foundation's walking skeleton: the demo order enters intake over HTTP and walks
 * through all seven services, each a separate process, on the real Kafka, Postgres and
 * Redis — fulfillment creates it, warehouse reserves, dispatch assigns under a Redis
 * lock, billing prepares the settlement, archive files every event.
 */
let system: SystemUnderTest;
const demoOrder = JSON.parse(readFileSync(path.join(repositoryRoot, "infra/demo/chain.json"), "utf8")).demoOrder as Record<string, unknown>;

beforeAll(async () => {
  system = await startSystem();
}, 180_000);

afterAll(async () => {
  await system?.stop();
});

async function json(response: Response) {
  return { status: response.status, body: (await response.json()) as Record<string, any> };
}

const post = (pathName: string, body: unknown, headers: Record<string, string> = {}) =>
  fetch(`${system.url}${pathName}`, { method: "POST", headers: { "content-type": "application/json", ...headers }, body: JSON.stringify(body) }).then(json);
const get = (pathName: string) => fetch(`${system.url}${pathName}`).then(json);

describe("walking skeleton", () => {
  it("reports all seven services SERVING on /healthz", async () => {
    const { status, body } = await get("/healthz");
    expect(status).toBe(200);
    expect(body).toEqual({
      status: "SERVING",
      services: { intake: "SERVING", fulfillment: "SERVING", warehouse: "SERVING", dispatch: "SERVING", "after-sales": "SERVING", billing: "SERVING", archive: "SERVING" },
    });
  });

  it("takes the demo order from intake to the archive dossier through every service", async () => {
    const order = { ...demoOrder, channelOrderId: `WEB-E2E-${Date.now()}` };
    const accepted = await post("/v1/orders", order, { "x-request-id": `e2e-${Date.now()}` });
    expect(accepted.status).toBe(201);
    const orderId = accepted.body.orderId as string;

    // Every service's step is on the timeline staff read (the customer's holds only the steps customers see: ADR 022, twenty-seventh-session addendum).
    const readByDesk = () => fetch(`${system.url}/v1/orders/${orderId}`, { headers: callerHeaders("staff:cs-e2e:customer-service") }).then(json);
    const deskView = await eventually(async () => {
      const answer = await readByDesk();
      const whats = (answer.body.timeline ?? []).map((t: { what: string }) => t.what) as string[];
      return answer.status === 200 && answer.body.status === "assigned" && whats.includes("settlement.prepared") ? answer : undefined;
    }, 60_000, 250);

    const steps = deskView.body.timeline.map((t: { service: string; what: string }) => `${t.service}:${t.what}`);
    expect(steps).toEqual(
      expect.arrayContaining([
        "intake:order.received",
        "fulfillment:order.created",
        "fulfillment:order.confirmed",
        "warehouse:stock.reserved",
        "dispatch:task.assigned",
        "billing:settlement.prepared",
      ]),
    );
    // The guest reading their order is shown no rider and none of the store's working; the desk is (ADR 022, twenty-sixth- and twenty-seventh-session addenda).
    const { body: settled } = await get(`/v1/orders/${orderId}`);
    expect(settled.assigneeStaffId).toBeUndefined();
    const guestSteps = settled.timeline.map((t: { service: string; what: string }) => `${t.service}:${t.what}`);
    expect(guestSteps).toEqual(expect.arrayContaining(["intake:order.received", "fulfillment:order.confirmed", "fulfillment:order.assigned"]));
    for (const internal of ["warehouse:stock.reserved", "dispatch:task.assigned", "billing:settlement.prepared"]) expect(guestSteps).not.toContain(internal);
    expect(deskView.body.assigneeStaffId).toMatch(/^staff-/);

    const archive = createClient(archiveApi.ArchiveQueryService, "oms.archive.v1.ArchiveQuery", system.stack.services.archive.grpc);
    try {
      const dossier = await eventually(async () => {
        const d = await archive.getDossier({ orderId });
        const producers = new Set(d.entries.map((e) => e.producer));
        return ["intake", "fulfillment", "warehouse", "dispatch", "billing"].every((p) => producers.has(p)) ? d : undefined;
      }, 30_000, 250);
      const types = dossier.entries.map((e) => e.eventType);
      expect(types).toEqual(
        expect.arrayContaining([
          "oms.events.v1.OrderReceived",
          "oms.events.v1.OrderCreated",
          "oms.events.v1.StockReservationRequested",
          "oms.events.v1.StockReserved",
          "oms.events.v1.AssignmentRequested",
          "oms.events.v1.TaskAssigned",
          "oms.events.v1.SettlementRequested",
          "oms.events.v1.SettlementPrepared",
        ]),
      );
    } finally {
      archive.close();
    }
  });

  it("answers a replayed channel order with the same order, and bad input field by field with nothing stored", async () => {
    const order = { ...demoOrder, channelOrderId: `WEB-E2E-DUP-${Date.now()}` };
    const first = await post("/v1/orders", order);
    const again = await post("/v1/orders", order);
    expect(first.status).toBe(201);
    expect(again.status).toBe(200);
    expect(again.body.orderId).toBe(first.body.orderId);

    const bad = await post("/v1/orders", { ...order, channelOrderId: `WEB-E2E-BAD-${Date.now()}`, lines: [{ sku: "KETTLE-1L7", quantity: -1, unitPriceMinor: 19900 }], customer: { name: "" } });
    expect(bad.status).toBe(400);
    const fields = (bad.body.errors as { field: string }[]).map((e) => e.field);
    expect(fields).toEqual(expect.arrayContaining(["lines[0].quantity"]));
    expect(new Set(fields).size).toBe(fields.length);
  });

  it("serves its OpenAPI 3.1 document, whose example order is accepted", async () => {
    const { status, body } = await get("/openapi.json");
    expect(status).toBe(200);
    expect(body.openapi).toMatch(/^3\.1/);
    const example = body.paths["/v1/orders"].post.requestBody.content["application/json"].example ??
      Object.values(body.paths["/v1/orders"].post.requestBody.content["application/json"].examples as Record<string, { value: unknown }>)[0]!.value;
    const accepted = await post("/v1/orders", { ...(example as object), channelOrderId: `WEB-E2E-OAS-${Date.now()}` });
    expect(accepted.status).toBe(201);
  });
});
