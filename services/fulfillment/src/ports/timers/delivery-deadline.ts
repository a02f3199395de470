import { systemActor } from "@oms/contracts";
import type { OutboxWriter } from "@oms/messaging";
import type { TimerHandler } from "@oms/timers";
import { executeOrderCommand } from "../../app/execute-order-command.ts";

/** A goods order's requested delivery time passed: if it has not reached the customer, the store manager is told (DOMAIN.md, Tracking). */
export function deliveryDeadlinePassed(outbox: OutboxWriter): TimerHandler {
  return async (timer, tx) => {
    const actor = systemActor("fulfillment");
    await executeOrderCommand(tx, outbox, timer.orderId, { type: "DeliveryDeadlinePassed", dueAt: String(timer.payload.dueAt ?? ""), actor }, { actor, causationId: `timer:${timer.id}` });
  };
}
