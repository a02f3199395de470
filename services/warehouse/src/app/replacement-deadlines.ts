import type pg from "pg";
import { cancelTimerKeys, scheduleTimers, type TimerSpec } from "@oms/timers";
import { replacementDeadlineRepository } from "../adapters/pg/replacement-deadline-repository.ts";
import { replacementShipByOf, replacementsToTime } from "../domain/replacement-deadline.ts";
import type { Replacement } from "../domain/replacements.ts";
import { TimerKinds, type ShipmentDeadlines } from "./step-deadlines.ts";

/**
 * A replacement's ship-by node (ADR 030's fifth addendum), started in the transaction that
 * reserves it — the acceptance, a rise of stock, the desk's move — and ended in the one that
 * ships or calls it off. Exactly once: a step heard again reserves nothing again (its caller
 * times only what it reserved), the node's insert keeps a running node's first deadline, and the
 * timers are keyed by case, store and level, so scheduling again adds none.
 */

/** Keyed by case, store and level: a move starts timers of the new store, and the old store's (called off) can never flag it. */
export const replacementTimerKey = (caseId: string, storeId: string, level: number) => `${caseId}/${storeId}/${level}`;

export interface ReplacementTimerPayload {
  caseId: string;
  storeId: string;
  level: number;
}

export function replacementTimer(orderId: string, payload: ReplacementTimerPayload, dueAt: Date): TimerSpec {
  return { kind: TimerKinds.replacementShipDeadline, key: replacementTimerKey(payload.caseId, payload.storeId, payload.level), orderId, dueAt, payload: { ...payload } };
}

const bothLevels = (caseId: string, storeId: string) => [1, 2].map((level) => ({ kind: TimerKinds.replacementShipDeadline, key: replacementTimerKey(caseId, storeId, level) }));

/**
 * The replacements just reserved (those among `replacements` that are) get their node and a
 * durable timer at their deadline: reserved + an order's whole allowance. A replacement moved
 * here has the old store's timers called off first (before its node is touched, as the
 * shipment's steps do: a timer firing meanwhile holds its row, then the node's).
 */
export async function startReplacementDeadlines(
  tx: pg.ClientBase,
  replacements: readonly Replacement[],
  correlationOf: (caseId: string) => string,
  deadlines: Pick<ShipmentDeadlines, "settings">,
  /**
   * When their clocks start, if not at their `reservedAt`: the acceptance's replacement carries the
   * acceptance's own time (after-sales' clock), which a consumer's backlog leaves far behind.
   */
  startedAt?: Date,
): Promise<void> {
  const timed = replacementsToTime(replacements);
  if (timed.length === 0) return;
  const moved = timed.filter((r) => r.moved && r.moved.fromStoreId !== r.storeId);
  await cancelTimerKeys(tx, moved.flatMap((r) => bothLevels(r.caseId, r.moved!.fromStoreId)));
  const nodes = timed.map((r) => ({
    caseId: r.caseId,
    orderId: r.orderId,
    storeId: r.storeId,
    correlationId: correlationOf(r.caseId),
    startedAt: startedAt ?? r.reservedAt!,
    dueAt: replacementShipByOf(startedAt ?? r.reservedAt!, deadlines.settings),
  }));
  const started = await replacementDeadlineRepository.start(tx, nodes);
  await scheduleTimers(
    tx,
    nodes.filter((n) => started.has(n.caseId)).map((n) => replacementTimer(n.orderId, { caseId: n.caseId, storeId: n.storeId, level: 1 }, n.dueAt)),
  );
}

/** Shipped or called off: its node ends, its timers with it (called off before the node is touched). */
export async function endReplacementDeadline(tx: pg.ClientBase, caseId: string, how: "met" | "called-off", at: Date): Promise<void> {
  const storeId = await replacementDeadlineRepository.storeOf(tx, caseId);
  if (storeId === undefined) return;
  await cancelTimerKeys(tx, bothLevels(caseId, storeId));
  await replacementDeadlineRepository.end(tx, caseId, how, at);
}
