import type pg from "pg";
import { newEvent, type Actor, type EventType, type OrderEventOf, type PayloadOf } from "@oms/contracts";
import { ForbiddenError, NotFoundError, UnauthenticatedError } from "@oms/errors";
import { retryOnConflict, withTransaction } from "@oms/postgres";
import { carrierRecoveryRepository, type StoredRecovery } from "../../adapters/pg/carrier-recovery-repository.ts";
import type { CarrierRecovery, CarrierRecoveryStatus } from "../../domain/carrier-recovery.ts";

/**
 * What finance's commands on a carrier recovery share (ADR 017, carrier addenda): who may give
 * them, the recovery's lock they run under, and how the events they announce are addressed. The
 * decisions themselves (a receipt's, a reversal's) stay apart, in the domain.
 */

/** The finance clerk calling; anyone else is refused — only finance books or unbooks a carrier's money. */
export function financeClerkOf(request: { callerKind: string; callerId: string; callerRole: string }, refusal: string): Actor {
  if (!request.callerId) throw new UnauthenticatedError("caller.missing", "the request does not say who is calling");
  if (request.callerKind !== "staff" || request.callerRole !== "finance") throw new ForbiddenError("carrier-recovery.by-finance", refusal);
  return { kind: "staff", id: request.callerId, role: request.callerRole };
}

/**
 * Runs `act` on the case's recovery under its row lock, in one transaction tried again on a
 * conflict (two clerks on one recovery come one after the other). A case billing holds no
 * recovery of (no settled claim heard of) is refused, nothing written.
 */
export async function onLockedRecovery<T>(pool: pg.Pool, caseId: string, act: (tx: pg.PoolClient, recovery: StoredRecovery) => Promise<T>): Promise<T> {
  return retryOnConflict(() =>
    withTransaction(pool, async (tx) => {
      const recovery = await carrierRecoveryRepository.lock(tx, caseId);
      if (!recovery) throw new NotFoundError("carrier-recovery.unknown", `billing holds no money due from a carrier on case ${caseId} (no settled claim heard of)`);
      return act(tx, recovery);
    }),
  );
}

/** An amount in the recovery's currency, as events and views carry money. */
export const moneyOfRecovery = (recovery: Pick<CarrierRecovery, "currency">) => (minor: number) => ({ minor, currency: recovery.currency });

/** Where a recovery's money stands after a change, as every event of finance's on it says it. */
export function recoveryStanding(recovery: CarrierRecovery, after: { receivedMinor: number; status: CarrierRecoveryStatus }) {
  const money = moneyOfRecovery(recovery);
  return { caseId: recovery.caseId, carrier: recovery.carrier, receivedTotal: money(after.receivedMinor), due: money(recovery.dueMinor), status: after.status };
}

/** An event of finance's on the recovery: billing's, keyed by the case's order, in the clerk's request. */
export function recoveryEvent<T extends EventType>(type: T, recovery: CarrierRecovery, payload: PayloadOf<T>, actor: Actor, correlationId: string): OrderEventOf<T> {
  return newEvent(type, payload, { producer: "billing", orderId: recovery.orderId, storeId: recovery.storeId, actor, correlationId });
}
