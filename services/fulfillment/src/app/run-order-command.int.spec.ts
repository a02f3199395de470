import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Topics, fulfillmentApi } from "@oms/contracts";
import { createClient } from "@oms/grpc";
import { startService, type RunningService } from "@oms/service-kit";
import { createTestNamespace, eventually, publishEvents, testServiceConfig, type TestNamespace } from "@oms/testing";
import { defineFulfillmentService, settingsFromEnv } from "../service.ts";
import { intakeOrderReceived } from "../test-fixtures.ts";

/**
 * People's commands under load, over gRPC on the real database: one transaction at a
 * time, so the commands that arrive while it commits share the next one.
 */
let namespace: TestNamespace;
let fulfillment: RunningService;
let commands: ReturnType<typeof createClient<typeof fulfillmentApi.OrderCommandsService>>;
const storeId = `store-${randomUUID().slice(0, 8)}`;
const customer = { kind: "customer", id: "c-42", role: "customer" };

beforeAll(async () => {
  namespace = await createTestNamespace();
  const settings = { ...settingsFromEnv({}), commandBatching: { maxInFlight: 1, maxBatch: 50 } };
  fulfillment = await startService(defineFulfillmentService(settings), testServiceConfig("fulfillment", namespace));
  commands = createClient(fulfillmentApi.OrderCommandsService, "oms.fulfillment.v1.OrderCommands", `127.0.0.1:${fulfillment.grpc.port}`);
});

afterAll(async () => {
  commands?.close();
  await fulfillment?.stop();
  await namespace?.drop();
});

async function ordersAwaitingConfirmation(count: number): Promise<string[]> {
  const orderIds = Array.from({ length: count }, () => randomUUID());
  await publishEvents(namespace.name, Topics.intakeOrder, orderIds.map((id) => intakeOrderReceived(id, false, storeId)));
  await eventually(async () => {
    const { rows } = await fulfillment.runtime.pool.query("SELECT 1 FROM orders WHERE order_id = ANY($1) AND status = 'awaiting-confirmation'", [orderIds]);
    return rows.length === count || undefined;
  });
  return orderIds;
}

/** How many transactions wrote the orders' confirmations (xmin: the writing transaction). */
const confirmingTransactions = async (orderIds: string[]) =>
  (
    await fulfillment.runtime.pool.query<{ n: number }>(
      "SELECT count(DISTINCT xmin::text)::int AS n FROM timeline WHERE order_id = ANY($1) AND what = 'order.confirmed'",
      [orderIds],
    )
  ).rows[0]!.n;

describe("people's commands on orders under load", () => {
  it("confirms the orders of commands that arrive together in one transaction, each answered with its own order", async () => {
    const orderIds = await ordersAwaitingConfirmation(8);

    const answers = await Promise.all(orderIds.map((orderId) => commands.confirmOrder({ orderId, caller: customer, reason: "", correlationId: "" })));

    expect(answers.map((a) => [a.orderId, a.status])).toEqual(orderIds.map((id) => [id, "credit-checked"]));
    // Each answer carries its own order's whole timeline, read for the batch at once.
    const { rows } = await fulfillment.runtime.pool.query<{ order_id: string; entries: number }>(
      "SELECT order_id, count(*)::int AS entries FROM timeline WHERE order_id = ANY($1) GROUP BY order_id",
      [orderIds],
    );
    const entries = new Map(rows.map((r) => [r.order_id, r.entries]));
    expect(answers.map((a) => [a.timeline.length, a.timeline.some((t) => t.what === "order.confirmed")])).toEqual(orderIds.map((id) => [entries.get(id), true]));
    // The first went alone and at once; the seven that came while it committed went together.
    expect(await confirmingTransactions(orderIds)).toBe(2);
  });

  it("answers a refused, misdirected or repeated command on its own, and commits the others beside it", async () => {
    const [first, second, third] = await ordersAwaitingConfirmation(3);
    const confirm = (orderId: string, caller: typeof customer | undefined) => commands.confirmOrder({ orderId, caller, reason: "", correlationId: "" });

    const answers = await Promise.allSettled([
      confirm(first!, customer),
      confirm(second!, customer),
      confirm(randomUUID(), customer),
      confirm(third!, undefined),
      confirm(third!, customer),
      // Again, in the same transaction: already confirmed, so nothing more happens.
      confirm(second!, customer),
      commands.cancelOrder({ orderId: first!, caller: customer, reason: "", correlationId: "" }),
    ]);

    expect(answers.map((a) => (a.status === "fulfilled" ? a.value.status : (a.reason as { kind: string }).kind))).toEqual([
      "credit-checked",
      "credit-checked",
      "not-found",
      "unauthenticated",
      "credit-checked",
      "credit-checked",
      "validation",
    ]);
    expect(await confirmingTransactions([second!, third!])).toBe(1);
  });
});
