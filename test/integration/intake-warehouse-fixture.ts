import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, expect } from "vitest";
import { EventTypes, Topics, newEvent } from "@oms/contracts";
import { startService, type RunningService } from "@oms/service-kit";
import { createTestNamespace, eventually, publishEvents, testServiceConfig, type TestNamespace, callerHeaders, testCallerTrust } from "@oms/testing";
// Services are not packages: the cross-service tests start them in process from their sources.
import { fulfillmentService } from "../../services/fulfillment/src/service.ts";
import { seedDemoCatalogue } from "../../services/intake/src/app/commands/seed-demo-catalogue.ts";
import { createIntakeService } from "../../services/intake/src/service.ts";
import { demoOrder, freePort, httpClient, peersAt, type HttpAnswer } from "../../services/intake/src/test-fixtures.ts";
import { warehouseService, warehouseServiceWith } from "../../services/warehouse/src/service.ts";
import type { WarehouseSettings } from "../../services/warehouse/src/settings.ts";

/** What a test file of intake in front of the warehouse works with, set once its services run. */
export interface WarehouseWorld {
  namespace: TestNamespace;
  fulfillment: RunningService;
  warehouse: RunningService;
  intake: RunningService;
  api: ReturnType<typeof httpClient>;
}

export const clerk = callerHeaders("staff:w-1:warehouse-clerk");
export const storeId = "store-sh-jingan";

/**
 * Intake in front of the real warehouse (with the demo chain's stock) and fulfillment,
 * started before the file's tests and stopped after them; dispatch's assignment is
 * published as dispatch would publish it. Returns the world and the steps the tests share.
 * `warehouseSettings` (e.g. step deadlines of seconds, for a test that watches them) replace
 * the ones the deployed warehouse reads from the environment.
 */
export function intakeInFrontOfWarehouse(warehouseSettings?: Partial<WarehouseSettings>) {
  const world = {} as WarehouseWorld;

  beforeAll(async () => {
    world.namespace = await createTestNamespace();
    const warehouse = warehouseSettings ? warehouseServiceWith(warehouseSettings) : warehouseService;
    world.warehouse = await startService(warehouse, testServiceConfig("warehouse", world.namespace, { OMS_SEED_DEMO: "true" }));
    world.fulfillment = await startService(fulfillmentService, testServiceConfig("fulfillment", world.namespace));
    const peers = peersAt(`127.0.0.1:${await freePort()}`, {
      fulfillment: `127.0.0.1:${world.fulfillment.grpc.port}`,
      warehouse: `127.0.0.1:${world.warehouse.grpc.port}`,
    });
    world.intake = await startService(createIntakeService({ callerTrust: testCallerTrust }), testServiceConfig("intake", world.namespace, peers));
    await seedDemoCatalogue(world.intake.runtime.pool);
    world.api = httpClient(world.intake.httpPort);
  });

  afterAll(async () => {
    await world.intake?.stop();
    await world.fulfillment?.stop();
    await world.warehouse?.stop();
    await world.namespace?.drop();
  });

  const statusOf = (orderId: string, status: string): Promise<HttpAnswer> =>
    eventually(async () => {
      const answer = await world.api.get(`/v1/orders/${orderId}`, clerk);
      return answer.status === 200 && answer.body.status === status ? answer : undefined;
    });

  /** An order the warehouse reserved and fulfillment assigned: its reservation is on the pick list. */
  /** An order assigned to rider r-7; one a reviewer must see first (a VIP's, taken by an order taker) is approved on the way. */
  async function assignedOrder(overrides: Record<string, unknown> = {}, caller = "customer:c-42"): Promise<{ orderId: string; reservationId: string }> {
    const submitted = await world.api.post("/v1/orders", await demoOrder(overrides), callerHeaders(caller));
    expect([201, 202], JSON.stringify(submitted.body)).toContain(submitted.status);
    const orderId = submitted.body.orderId as string;
    if (submitted.status === 202) {
      const approval = await world.api.post(`/v1/reviews/${submitted.body.reviewId}/approval`, { note: "key customer" }, callerHeaders("staff:rv-1:reviewer"));
      expect(approval.status, JSON.stringify(approval.body)).toBe(200);
    }
    const { reservationId, taskId } = (await statusOf(orderId, "reserved")).body;
    await publishEvents(world.namespace.name, Topics.dispatchAssignment, [
      newEvent(
        EventTypes.TaskAssigned,
        { taskId, assignmentId: randomUUID(), staffId: "r-7", acknowledgeBy: "", fencingToken: 1 },
        { producer: "dispatch", orderId, storeId, actor: { kind: "system", id: "dispatch", role: "system" } },
      ),
    ]);
    await statusOf(orderId, "assigned");
    return { orderId, reservationId };
  }

  return { world, statusOf, assignedOrder };
}
