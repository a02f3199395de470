import type { HeldByPerson } from "../../support/human-simulator.ts";
import { percentilesOf, type Percentiles } from "../../support/latency-stats.ts";

/**
 * The lifecycle target's figure: an order's time from its request's due time to its end,
 * minus the time simulated people held it. People act side by side (the assignee
 * acknowledges while the clerk picks), so their stretches are merged before they are
 * subtracted: summed, a moment two people shared would be left out twice. An order that
 * did not reach its end within the drain is not left out either: it counts with the time
 * it had taken by the drain's end, a lower bound of its real time.
 */
export interface MeasuredOrder {
  dueAt: number;
  /** When it reached where the people leave it; unset if it never did. */
  endAt: number | undefined;
  heldByPeople: readonly HeldByPerson[];
}

export interface LifecycleTimes {
  measured: number;
  /** Orders at their end by the end of the drain. */
  reachedEnd: number;
  /** Over every measured order; a lower bound when some did not reach their end. */
  pipelineMs: Percentiles;
  peopleMs: Percentiles;
}

/** The pipeline times of the measured orders, judged at `drainEndedAt` (epoch ms). */
export function lifecycleTimes(orders: Iterable<MeasuredOrder>, drainEndedAt: number): LifecycleTimes {
  const pipeline: number[] = [];
  const people: number[] = [];
  let reachedEnd = 0;
  for (const order of orders) {
    const time = pipelineTimeOf(order, drainEndedAt);
    if (time.reachedEnd) reachedEnd++;
    pipeline.push(time.pipelineMs);
    people.push(time.peopleMs);
  }
  return { measured: pipeline.length, reachedEnd, pipelineMs: percentilesOf(pipeline), peopleMs: percentilesOf(people) };
}

export function pipelineTimeOf(order: MeasuredOrder, drainEndedAt: number): { pipelineMs: number; peopleMs: number; reachedEnd: boolean } {
  // An end after the drain was not seen in time; such an order counts like one still on its way.
  const reachedEnd = order.endAt !== undefined && order.endAt <= drainEndedAt;
  const until = reachedEnd ? order.endAt! : drainEndedAt;
  // The people's time is clipped to [dueAt, until], so it never exceeds the span and the
  // result is not negative unless the end came before the request was due (a clock step):
  // then it is shown as it is. (A refund thought over after the end held up nothing.)
  const peopleMs = unionLengthWithin(order.heldByPeople, order.dueAt, until);
  return { pipelineMs: until - order.dueAt - peopleMs, peopleMs, reachedEnd };
}

/**
 * How much of [from, to] the stretches cover together; a stretch without an end (a
 * person still thinking) runs to `to`.
 */
export function unionLengthWithin(stretches: readonly HeldByPerson[], from: number, to: number): number {
  const clipped = stretches
    .map((s) => [Math.max(from, s.from), Math.min(to, s.to ?? to)] as const)
    .filter(([start, end]) => end > start)
    .sort((a, b) => a[0] - b[0]);
  let covered = 0;
  let reach = Number.NEGATIVE_INFINITY;
  for (const [start, end] of clipped) {
    if (end <= reach) continue; // inside what is already counted
    covered += end - Math.max(start, reach);
    reach = end;
  }
  return covered;
}
