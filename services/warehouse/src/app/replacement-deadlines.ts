import type pg from "pg";
import { cancelTimerKeys, scheduleTimers, type TimerSpec } from "@oms/timers";
import { replacementDeadlineRepository } from "../adapters/pg/replacement-deadline-repository.ts";
import { replacementStepDueAt, replacementsToTime } from "../domain/replacement-deadline.ts";
import { awaitedReplacementStep } from "../domain/replacement-steps.ts";
import type { Replacement } from "../domain/replacements.ts";
import { shipmentSteps, type ShipmentStep } from "../domain/step-deadlines.ts";
import { TimerKinds, type ShipmentDeadlines } from "./step-deadlines.ts";

/**
 * A replacement's time nodes (ADR 030's fifth and seventh addenda), one a step: the pick's starts
 * in the transaction that reserves it — the acceptance, a rise of stock, the desk's move — each
 * step done meets its node and starts the next one's, and the shipment or call-off ends what is
 * open. One opened before the steps has one ship-by node for its whole way out. Exactly once: a
 * step heard again reserves or steps nothing again (its caller times only what it changed), the
 * node's insert keeps a running node's first deadline, and the timers are keyed by case, store,
 * step and level, so scheduling again adds none.
 */

/**
 * Keyed by case, store, step and level: a move starts timers of the new store, and the old store's
 * (called off) can never flag it. The ship step keeps the key it had before the steps, so a
 * ship-by timer scheduled then is still the one called off.
 */
export const replacementTimerKey = (caseId: string, storeId: string, level: number, step: ShipmentStep = "ship") =>
  step === "ship" ? `${caseId}/${storeId}/${level}` : `${caseId}/${storeId}/${step}/${level}`;

export interface ReplacementTimerPayload {
  caseId: string;
  storeId: string;
  step: ShipmentStep;
  level: number;
}

export function replacementTimer(orderId: string, payload: ReplacementTimerPayload, dueAt: Date): TimerSpec {
  return { kind: TimerKinds.replacementShipDeadline, key: replacementTimerKey(payload.caseId, payload.storeId, payload.level, payload.step), orderId, dueAt, payload: { ...payload } };
}

const bothLevels = (caseId: string, storeId: string, step: ShipmentStep) =>
  [1, 2].map((level) => ({ kind: TimerKinds.replacementShipDeadline, key: replacementTimerKey(caseId, storeId, level, step) }));
const everyStep = (caseId: string, storeId: string) => shipmentSteps.flatMap((step) => bothLevels(caseId, storeId, step));

/**
 * The replacements just reserved (those among `replacements` that are) get the node of the step
 * their clerks owe (the pick; the ship for one from before the steps) and a durable timer at its
 * deadline. A replacement moved here has the old store's timers called off first (before its node
 * is touched, as the shipment's steps do: a timer firing meanwhile holds its row, then the node's),
 * and starts its steps again here.
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
  await cancelTimerKeys(tx, moved.flatMap((r) => everyStep(r.caseId, r.moved!.fromStoreId)));
  await startNodes(tx, timed.map((r) => ({ replacement: r, from: startedAt ?? r.reservedAt!, correlationId: correlationOf(r.caseId) })), deadlines);
}

/**
 * A clerk's pick or pack just written: the step's node is met (its warnings called off first), and
 * the next step's node starts now. A pick that reserved one awaiting stock had no pick node: the
 * pack's starts all the same.
 */
export async function followReplacementStep(tx: pg.ClientBase, after: Replacement, done: ShipmentStep, at: Date, correlationId: string, deadlines: Pick<ShipmentDeadlines, "settings">): Promise<void> {
  await cancelTimerKeys(tx, bothLevels(after.caseId, after.storeId, done));
  await replacementDeadlineRepository.end(tx, after.caseId, [done], "met", at);
  await startNodes(tx, [{ replacement: after, from: at, correlationId }], deadlines);
}

/** Shipped or called off: its open nodes end, their timers with them (called off before the nodes are touched). */
export async function endReplacementDeadline(tx: pg.ClientBase, caseId: string, how: "met" | "called-off", at: Date): Promise<void> {
  const nodes = await replacementDeadlineRepository.nodesOf(tx, caseId);
  if (nodes.length === 0) return;
  await cancelTimerKeys(tx, nodes.flatMap((n) => bothLevels(caseId, n.storeId, n.step)));
  await replacementDeadlineRepository.end(tx, caseId, shipmentSteps, how, at);
}

async function startNodes(tx: pg.ClientBase, starting: readonly { replacement: Replacement; from: Date; correlationId: string }[], deadlines: Pick<ShipmentDeadlines, "settings">): Promise<void> {
  const nodes = starting.flatMap(({ replacement: r, from, correlationId }) => {
    const step = awaitedReplacementStep(r);
    if (!step) return [];
    return [{ caseId: r.caseId, step, orderId: r.orderId, storeId: r.storeId, correlationId, startedAt: from, dueAt: replacementStepDueAt(r, step, from, deadlines.settings) }];
  });
  const started = await replacementDeadlineRepository.start(tx, nodes);
  await scheduleTimers(
    tx,
    nodes.filter((n) => started.has(n.caseId)).map((n) => replacementTimer(n.orderId, { caseId: n.caseId, storeId: n.storeId, step: n.step, level: 1 }, n.dueAt)),
  );
}
