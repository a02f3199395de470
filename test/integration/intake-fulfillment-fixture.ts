import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, expect } from "vitest";
import { EventTypes, Topics, newEvent, type Actor } from "@oms/contracts";
import { startService, type RunningService } from "@oms/service-kit";
import { createTestNamespace, eventually, publishEvents, testServiceConfig, type TestNamespace, callerHeaders, testCallerTrust } from "@oms/testing";
import { billingService } from "../../services/billing/src/service.ts";
import { fulfillmentService } from "../../services/fulfillment/src/service.ts";
import { seedDemoCatalogue } from "../../services/intake/src/app/commands/seed-demo-catalogue.ts";
import { createIntakeService } from "../../services/intake/src/service.ts";
import { demoOrder, freePort, httpClient, peersAt, type HttpAnswer } from "../../services/intake/src/test-fixtures.ts";

/** What a test file of intake in front of fulfillment works with, set once its services run. */
export interface IntakeWorld {
  namespace: TestNamespace;
  fulfillment: RunningService;
  billing: RunningService;
  intake: RunningService;
  api: ReturnType<typeof httpClient>;
}

export const customer = callerHeaders("customer:c-42");
export const rider = callerHeaders("staff:r-7:rider");
export const finance = callerHeaders("staff:f-3:finance");
export const system: Actor = { kind: "system", id: "test", role: "system" };
export const delivery = { place: "front door", method: "courier", proofKind: "signature", proofRef: "sig-7f3a" };
export const forbidden = { status: 403, body: { type: "https://oms.example/problems/forbidden", status: 403, code: "caller.not-permitted" } };

/**
 * Intake in front of the real owners of the order (fulfillment) and of its money (billing),
 * started before the file's tests and stopped after them; the warehouse's and dispatch's
 * reports are published as they would publish them. Returns the world and the steps the
 * tests share.
 */
export function intakeInFrontOfFulfillment() {
  const world = {} as IntakeWorld;

  beforeAll(async () => {
    world.namespace = await createTestNamespace();
    world.fulfillment = await startService(fulfillmentService, testServiceConfig("fulfillment", world.namespace));
    world.billing = await startService(billingService, testServiceConfig("billing", world.namespace));
    const peers = peersAt(`127.0.0.1:${await freePort()}`, {
      fulfillment: `127.0.0.1:${world.fulfillment.grpc.port}`,
      billing: `127.0.0.1:${world.billing.grpc.port}`,
    });
    world.intake = await startService(createIntakeService({ callerTrust: testCallerTrust }), testServiceConfig("intake", world.namespace, peers));
    await seedDemoCatalogue(world.intake.runtime.pool);
    world.api = httpClient(world.intake.httpPort);
  });

  afterAll(async () => {
    await world.intake?.stop();
    await world.billing?.stop();
    await world.fulfillment?.stop();
    await world.namespace?.drop();
  });

  async function submit(overrides: Record<string, unknown> = {}): Promise<string> {
    const answer = await world.api.post("/v1/orders", await demoOrder(overrides), customer);
    expect(answer.status).toBe(201);
    return answer.body.orderId as string;
  }

  const statusOf = (orderId: string, status: string): Promise<HttpAnswer> =>
    eventually(async () => {
      const answer = await world.api.get(`/v1/orders/${orderId}`, customer);
      return answer.status === 200 && answer.body.status === status ? answer : undefined;
    });

  /** Brings an order to "shipped" with the reports the warehouse and dispatch would publish, using the ids GET /v1/orders/{id} names. */
  async function shipped(orderId: string): Promise<HttpAnswer> {
    const { reservationId } = (await statusOf(orderId, "credit-checked")).body;
    expect(reservationId).toBe(`${orderId}/reservation/1`);
    const storeId = "store-sh-jingan";
    const reporter = (producer: string) => ({ producer, orderId, storeId, actor: system });
    const { name } = world.namespace;
    await publishEvents(name, Topics.warehouseStock, [newEvent(EventTypes.StockReserved, { routing: [], parts: [], reservationId, lines: [] }, reporter("warehouse"))]);
    const { taskId } = (await statusOf(orderId, "reserved")).body;
    await publishEvents(name, Topics.dispatchAssignment, [
      newEvent(EventTypes.TaskAssigned, { taskId, assignmentId: randomUUID(), staffId: "r-7", acknowledgeBy: "", fencingToken: 1 }, reporter("dispatch")),
    ]);
    await statusOf(orderId, "assigned");
    await publishEvents(name, Topics.warehouseStock, [
      newEvent(EventTypes.ShipmentPicked, { reservationId }, reporter("warehouse")),
      newEvent(EventTypes.ShipmentPacked, { reservationId, parcels: 1, label: "L-1" }, reporter("warehouse")),
      newEvent(EventTypes.ShipmentDispatched, { shipmentId: randomUUID(), reservationId, carrier: "SF Express", trackingNumber: "SF1234567" }, reporter("warehouse")),
    ]);
    return statusOf(orderId, "shipped");
  }

  return { world, submit, statusOf, shipped };
}
