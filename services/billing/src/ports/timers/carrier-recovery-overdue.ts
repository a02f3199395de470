import type { Logger } from "@oms/observability";
import type { OutboxWriter } from "@oms/messaging";
import type { TimerHandler } from "@oms/timers";
import { announceOverdueRecovery } from "../../app/carrier-recoveries/recovery-overdue.ts";

/** A carrier recovery's owed stretch reached its due-by time; fires once, in the timer's transaction, across restarts. */
export function carrierRecoveryOverdueDue(outbox: OutboxWriter, logger: Logger): TimerHandler {
  return async (timer, tx) => {
    const caseId = String(timer.payload.caseId ?? timer.key);
    if (await announceOverdueRecovery(tx, outbox, caseId)) {
      logger.warn({ caseId, orderId: timer.orderId, owedStretch: timer.payload.owedStretch ?? 1 }, "carrier recovery not paid in full by its due-by time: announced overdue");
    }
  };
}
