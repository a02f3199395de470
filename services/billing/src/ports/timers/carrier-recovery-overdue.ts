import type { Logger } from "@oms/observability";
import type { OutboxWriter } from "@oms/messaging";
import type { BatchLockingTimerHandler, DueTimer } from "@oms/timers";
import { carrierRecoveryRepository } from "../../adapters/pg/carrier-recovery-repository.ts";
import { announceOverdueRecovery } from "../../app/carrier-recoveries/recovery-overdue.ts";

const caseOf = (timer: DueTimer) => String(timer.payload.caseId ?? timer.key);

/**
 * A carrier recovery's owed stretch reached its due-by time; fires once, in the timer's transaction, across restarts.
 * The batch's recoveries are locked first, all of them in case order (ADR 017, twenty-sixth session, locks): a
 * remittance's booking and its whole reversal lock several in that order, and the poller's due order would cross it.
 */
export function carrierRecoveryOverdueDue(outbox: OutboxWriter, logger: Logger): BatchLockingTimerHandler {
  return {
    lockBatch: async (timers, tx) => {
      await carrierRecoveryRepository.lockAll(tx, timers.map(caseOf));
    },
    fire: async (timer, tx) => {
      const caseId = caseOf(timer);
      if (await announceOverdueRecovery(tx, outbox, caseId)) {
        logger.warn({ caseId, orderId: timer.orderId, owedStretch: timer.payload.owedStretch ?? 1 }, "carrier recovery not paid in full by its due-by time: announced overdue");
      }
    },
  };
}
