import { randomUUID } from "node:crypto";
import type pg from "pg";
import type { Actor } from "@oms/contracts";
import { isInfrastructureFailure } from "@oms/errors";
import type { Logger } from "@oms/observability";
import { scheduleTimer, type TimerHandler } from "@oms/timers";
import { reconciliationRepository } from "../../adapters/pg/reconciliation-repository.ts";
import { runReconciliation, type ReconciliationDeps } from "../../app/commands/run-reconciliation.ts";
import { dailyReconciliationTimer, dayBefore, nextDailyRun } from "../../app/daily-reconciliation.ts";

const billing: Actor = { kind: "system", id: "billing", role: "system" };

/** Puts the next daily run on the timers (once per day however many replicas start: the key is the day). */
export async function scheduleNextDailyRun(tx: pg.ClientBase, at: { hour: number; minute: number }, now = new Date()): Promise<void> {
  const { dueAt, key } = nextDailyRun(now, at);
  await scheduleTimer(tx, { kind: dailyReconciliationTimer, key, orderId: "", dueAt });
}

/**
 * The daily run is due: every store billing holds money of is reconciled over the day before,
 * in the timer's transaction, under the request id `daily:<day>` (a timer fired again after a
 * failure repeats nothing), and the next day's run is scheduled.
 *
 * Only this handler schedules the next day's run, so it fails only for what passes (fulfillment
 * or the database unavailable: the poller puts it off and never sets it aside). A store whose
 * run is refused for good (a rule, a request id already used for another period) is logged
 * and left to finance, the others run: failing the handler for it would use up the timer's
 * attempts, set it aside, and no day after would be reconciled until billing restarted.
 */
export function dailyReconciliationDue(deps: ReconciliationDeps, at: { hour: number; minute: number }, logger: Logger): TimerHandler {
  return async (timer, tx) => {
    const { from, until } = dayBefore(timer.key);
    const correlationId = randomUUID();
    const stores = await reconciliationRepository.storesWithMoney(tx);
    for (const storeId of stores) {
      await tx.query("SAVEPOINT daily_reconciliation_store");
      try {
        const run = await runReconciliation(
          deps,
          { storeId, from: from.toISOString(), until: until.toISOString(), requestId: `daily:${timer.key}`, actor: billing, correlationId },
          tx,
        );
        await tx.query("RELEASE SAVEPOINT daily_reconciliation_store");
        const log = run.balanced ? logger.info.bind(logger) : logger.warn.bind(logger);
        log({ storeId, reconciliationId: run.reconciliationId, correlationId, differences: run.differencesFound, open: run.openDifferences }, "daily reconciliation ran");
      } catch (error) {
        if (isInfrastructureFailure(error)) throw error;
        await tx.query("ROLLBACK TO SAVEPOINT daily_reconciliation_store");
        logger.error({ err: error, storeId, day: timer.key, correlationId }, "daily reconciliation of a store was refused: finance runs it through the gateway");
      }
    }
    await scheduleNextDailyRun(tx, at, new Date(Math.max(Date.now(), timer.dueAt.getTime())));
  };
}
