/**
 * Paging the worklists (ADR 006's twenty-ninth-session addendum) by keyset (@oms/postgres
 * keyset-pages.ts) on each list's own order, the task id breaking a tie: a person's soonest due
 * first (the appointment, else the acknowledgement deadline, else the creation; then the
 * creation), a store's oldest first. Each was cut at the caller's `limit` unsaid; `limit` stays
 * the page size's older name.
 */
import type { FieldError } from "@oms/errors";
import { keysetList, type Position } from "@oms/postgres";
import type { WorklistOrder } from "../../domain/worklist.ts";

// A task's summary is small: the sizes the list had as a limit.
const sizes = { defaultSize: 100, maxSize: 500 };
const lists = {
  "soonest-due": keysetList(
    [
      ["dueAtMicros", "micros"],
      ["createdAtMicros", "micros"],
      ["taskId", "id"],
    ],
    sizes,
  ),
  "oldest-first": keysetList(
    [
      ["createdAtMicros", "micros"],
      ["taskId", "id"],
    ],
    sizes,
  ),
};

/** Where a page ended: the last task's keys, each time in microseconds since the epoch (a store's list keeps no due time in its token). */
export type WorklistPosition = Position<"dueAtMicros" | "createdAtMicros" | "taskId">;

export interface WorklistPage {
  size: number;
  after: WorklistPosition | undefined;
}

/** The page asked of a list in `order`: its size and where it starts; problems go to `errors`, naming the field. */
export function worklistPageOf(order: WorklistOrder, request: { pageSize: number; pageToken: string; limit: number }, errors: FieldError[]): WorklistPage {
  const { size, after } = lists[order].pageOf(request, errors);
  // A store's list is not ordered by the due time: its position needs none.
  return { size, after: after && { dueAtMicros: "", ...after } };
}

/** The token continuing a list in `order` after `last`, when the extra task read shows there is more; "" when not. */
export function nextWorklistPageToken(order: WorklistOrder, last: WorklistPosition | undefined, more: boolean): string {
  return lists[order].tokenAfter(last, more);
}
