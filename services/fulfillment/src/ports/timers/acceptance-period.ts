import { systemActor } from "@oms/contracts";
import type { OutboxWriter } from "@oms/messaging";
import type { TimerHandler } from "@oms/timers";
import { executeOrderCommand } from "../../app/execute-order-command.ts";

/** The acceptance period ran out: a delivery nobody refused counts as accepted (by rule). */
export function acceptancePeriodElapsed(outbox: OutboxWriter): TimerHandler {
  return async (timer, tx) => {
    const actor = systemActor("fulfillment");
    await executeOrderCommand(tx, outbox, timer.orderId, { type: "AcceptDelivery", byRule: true, actor }, { actor, causationId: `timer:${timer.id}` });
  };
}
