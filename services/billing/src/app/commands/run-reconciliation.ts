import { randomUUID } from "node:crypto";
import type pg from "pg";
import { EventTypes, newEvent, type Actor, type EventOrigin, type OrderEvent, type billingApi } from "@oms/contracts";
import { ConflictError, requestedPeriod, type FieldError } from "@oms/errors";
import type { OutboxWriter } from "@oms/messaging";
import { withTransaction } from "@oms/postgres";
import type { FulfillmentOrders, OrderAtStore } from "../../adapters/grpc-clients/fulfillment-orders.ts";
import { reconciliationMoneyReader } from "../../adapters/pg/reconciliation-money-reader.ts";
import { reconciliationRepository, type Period } from "../../adapters/pg/reconciliation-repository.ts";
import { compareStore, settleRun } from "../../domain/reconciliation.ts";
import { getReconciliation } from "../queries/get-reconciliation.ts";

export interface ReconciliationDeps {
  pool: pg.Pool;
  outbox: OutboxWriter;
  fulfillment: FulfillmentOrders;
}

export interface ReconcileStore {
  storeId: string;
  from: string;
  until: string;
  /** The caller's id of the run (ADR 015): the same id again answers the same run. */
  requestId: string;
  actor: Actor;
  correlationId: string;
}

/** A business day, a week, a month: a longer period is several runs. */
export const maxReconciliationDays = 31;

/**
 * Reconciles a store's money against its orders over a period (ADR 023): billing's records
 * of the period's orders — those fulfillment says ended in it, those billing had a money
 * moment of, and those an earlier run of the period found a difference on — are compared
 * with fulfillment's figures of them, and every difference is recorded once per store,
 * period, order and kind. Fulfillment is asked before the transaction (no lock is held over
 * a network call); the run, its findings and its events are written in one. A retry under
 * the same request id answers the run as it stands; the same id for another period is refused.
 * `tx`: the daily timer's transaction, so the run commits with the timer's firing.
 */
export async function runReconciliation(deps: ReconciliationDeps, command: ReconcileStore, tx?: pg.ClientBase): Promise<billingApi.ReconciliationView> {
  const period = periodOf(command);
  const requestId = command.requestId.trim();
  const earlier = await reconciliationRepository.runByRequest(tx ?? deps.pool, period.storeId, requestId);
  if (earlier) return repeatOf(deps, tx, earlier, period, requestId);

  const { facts, orderIds } = await ordersOfPeriod(deps, period, command.correlationId);
  const record = async (db: pg.ClientBase) => {
    await reconciliationRepository.lockPeriod(db, period);
    // A twin under the same id that committed while this one asked fulfillment.
    const twin = await reconciliationRepository.runByRequest(db, period.storeId, requestId);
    if (twin) return twin.reconciliationId;
    // Billing's money as it stands once the period is this run's: read before the lock, a run
    // that waited behind another would record (and announce again) what that one already saw corrected.
    const money = await reconciliationMoneyReader.moneyOf(db, orderIds);
    const orders = new Set([...facts.keys(), ...money.keys()]).size;
    const found = compareStore(facts, money);
    const outcome = settleRun(found, await reconciliationRepository.knownDifferences(db, period));
    const reconciliationId = randomUUID();
    const inserted = await reconciliationRepository.insertRun(db, {
      reconciliationId,
      storeId: period.storeId,
      period,
      requestId,
      startedBy: `${command.actor.kind}:${command.actor.id}`,
      ordersCompared: orders,
      differencesFound: found.length,
      resolvedByData: outcome.resolvedByData.length,
    });
    // The same id for another period committed first: that run's lock is not this one's, so
    // only the unique key met it. Nothing of this run may be recorded or announced under an
    // id that was never stored; the period check below refuses the reused id.
    if (!inserted) return (await reconciliationRepository.runByRequest(db, period.storeId, requestId))!.reconciliationId;
    const added = outcome.added.map((d) => ({ ...d, differenceId: randomUUID() }));
    await reconciliationRepository.recordDifferences(db, reconciliationId, period, added, outcome.foundAgain.filter((f) => f.cameBack).map((f) => f.known.differenceId));
    const findings = [...added, ...outcome.foundAgain.map((f) => ({ ...f.found, differenceId: f.known.differenceId }))];
    await reconciliationRepository.recordFindings(db, reconciliationId, findings);
    await reconciliationRepository.markResolvedByData(db, reconciliationId, outcome.resolvedByData.map((k) => k.differenceId));

    const origin = (orderId: string): EventOrigin => ({ producer: "billing", orderId, storeId: period.storeId, actor: command.actor, correlationId: command.correlationId });
    const periodFields = { periodFrom: period.from.toISOString(), periodUntil: period.until.toISOString() };
    const announced: OrderEvent[] = [...added, ...outcome.foundAgain.filter((f) => f.cameBack).map((f) => ({ ...f.found, differenceId: f.known.differenceId }))].map((d) =>
      newEvent(EventTypes.ReconciliationDifferenceFound, { reconciliationId, differenceId: d.differenceId, kind: d.kind, detail: d.detail, ...periodFields }, origin(d.orderId)),
    );
    announced.push(
      newEvent(
        EventTypes.ReconciliationCompleted,
        {
          reconciliationId,
          ...periodFields,
          ordersCompared: orders,
          differencesFound: found.length,
          newDifferences: added.length,
          openDifferences: outcome.openCount,
          explainedDifferences: outcome.explainedCount,
          resolvedByData: outcome.resolvedByData.length,
          balanced: outcome.balanced,
        },
        // A store-level event: no order's dossier is its place.
        origin(""),
      ),
    );
    await deps.outbox.append(db, announced);
    return reconciliationId;
  };
  const reconciliationId = tx ? await record(tx) : await withTransaction(deps.pool, record);
  const view = await getReconciliation(tx ?? deps.pool, reconciliationId);
  if (view.periodFrom !== period.from.toISOString() || view.periodUntil !== period.until.toISOString()) throw reusedRequestId(requestId, view);
  return view;
}

function periodOf(command: ReconcileStore): Period {
  const storeId = command.storeId?.trim() ?? "";
  const fields: FieldError[] = [];
  if (!storeId) fields.push({ field: "storeId", message: "is required" });
  if (!command.requestId?.trim()) fields.push({ field: "requestId", message: "is required (your id of this run; makes a retry harmless)" });
  else if (command.requestId.trim().length > 100) fields.push({ field: "requestId", message: "must be at most 100 characters" });
  const { from, until } = requestedPeriod(command, fields, maxReconciliationDays);
  return { storeId, from, until };
}

async function repeatOf(deps: ReconciliationDeps, tx: pg.ClientBase | undefined, earlier: { reconciliationId: string; periodFrom: Date; periodUntil: Date }, period: Period, requestId: string) {
  const view = await getReconciliation(tx ?? deps.pool, earlier.reconciliationId);
  if (earlier.periodFrom.getTime() !== period.from.getTime() || earlier.periodUntil.getTime() !== period.until.getTime()) throw reusedRequestId(requestId, view);
  return view;
}

function reusedRequestId(requestId: string, earlier: billingApi.ReconciliationView): ConflictError {
  return new ConflictError(
    "reconciliation.request-id-reused",
    `request id ${requestId} already started reconciliation ${earlier.reconciliationId} of ${earlier.periodFrom} to ${earlier.periodUntil}: another run needs an id of its own`,
  );
}

/** The period's orders — those fulfillment says ended in it, those billing had a money moment of, those found before — with fulfillment's figures of them. */
async function ordersOfPeriod(deps: ReconciliationDeps, period: Period, correlationId: string): Promise<{ facts: Map<string, OrderAtStore>; orderIds: string[] }> {
  const { pool, fulfillment } = deps;
  const ended = await fulfillment.endedOrders(period.storeId, period.from, period.until, correlationId);
  const withMoney = await reconciliationMoneyReader.ordersWithMoneyIn(pool, period.storeId, period.from, period.until);
  // Found before: looked at again even if nothing of it moved in the period since, so it is not taken for resolved.
  const foundBefore = (await reconciliationRepository.knownDifferences(pool, period)).map((k) => k.orderId);
  const facts = new Map<string, OrderAtStore>(ended.map((o) => [o.orderId, o]));
  const unlisted = [...new Set([...withMoney, ...foundBefore])].filter((id) => !facts.has(id));
  for (const order of await fulfillment.ordersByIds(unlisted, correlationId)) facts.set(order.orderId, order);
  return { facts, orderIds: [...new Set([...facts.keys(), ...unlisted])] };
}
