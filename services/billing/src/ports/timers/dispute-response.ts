import type { Logger } from "@oms/observability";
import type { OutboxWriter } from "@oms/messaging";
import type { TimerHandler } from "@oms/timers";
import { escalateOverdueDispute } from "../../app/disputes/escalate-overdue-dispute.ts";

/** A dispute's answer is due; fires once, in the timer's transaction, across restarts. */
export function disputeResponseDue(outbox: OutboxWriter, logger: Logger): TimerHandler {
  return async (timer, tx) => {
    const disputeId = String(timer.payload.disputeId ?? timer.key);
    if (await escalateOverdueDispute(tx, outbox, disputeId)) logger.warn({ disputeId, orderId: timer.orderId }, "settlement dispute unresolved at its respond-by time: escalated to the store manager");
  };
}
