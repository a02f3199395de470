/**
 * Paging the supervisors' queues — manual reviews and order corrections waiting for a decision —
 * by keyset (@oms/postgres keyset-pages.ts) on the queue's own order: the oldest request first,
 * its id breaking a tie. A queue longer than a page was cut at the page unsaid; now the page says
 * where the next begins, and a request deciding or arriving meanwhile moves no other one between
 * pages (a decided one simply leaves; a new one queues at the end).
 */
import { ValidationError, type FieldError } from "@oms/errors";
import { keysetList, type Position } from "@oms/postgres";

const queue = keysetList(
  [
    ["requestedAtMicros", "micros"],
    ["id", "id"],
  ],
  { defaultSize: 50, maxSize: 200 },
);

/** Where a page ended: the last request's time in microseconds since the epoch and its id. */
export type QueuePosition = Position<"requestedAtMicros" | "id">;

export function queuePageOf(request: { pageSize: number; pageToken: string }, errors: FieldError[]): { size: number; after: QueuePosition | undefined } {
  return queue.pageOf(request, errors);
}

/** The page a supervisor asked for, or a ValidationError naming `pageSize` or `pageToken`. */
export function queuePageAsked(request: { pageSize: number; pageToken: string }): { size: number; after: QueuePosition | undefined } {
  const errors: FieldError[] = [];
  const page = queuePageOf(request, errors);
  if (errors.length > 0) throw new ValidationError(errors);
  return page;
}

export const nextQueuePageToken = queue.tokenAfter;

/** A page out of `size + 1` requests read: the first `size`, and the token after the last while the extra one shows more. */
export function queuePage<Item extends { position: QueuePosition }>(read: readonly Item[], size: number): { items: Item[]; nextPageToken: string } {
  const items = read.slice(0, size);
  return { items, nextPageToken: nextQueuePageToken(items.at(-1)?.position, read.length > size) };
}
