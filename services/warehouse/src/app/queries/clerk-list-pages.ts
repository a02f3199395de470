/**
 * Paging the store clerks' lists (the twenty-ninth-session addenda of ADR 007, 021 and 030) by
 * keyset (@oms/postgres keyset-pages.ts) on each list's own order, the id breaking a tie: the
 * pick list (and the pack and dispatch lists) most urgent first, the returns still expected
 * and the replacements still to ship the oldest first, the steps late the oldest deadline first. Each was cut at the caller's `limit`
 * unsaid; `limit` stays the page size's older name.
 */
import type { FieldError } from "@oms/errors";
import { keysetList, type Position } from "@oms/postgres";

type PageRequest = { pageSize: number; pageToken: string; limit?: number };

/**
 * The step listed (the pick, pack and dispatch lists share one order, so a token of one would
 * place the clerk in another), then the order's priority (highest first), when it reached the
 * step (longest waiting first), the reservation id.
 */
const pickList = keysetList(
  [
    ["step", "id"],
    ["priority", "int"],
    ["sinceMicros", "micros"],
    ["reservationId", "id"],
  ],
  { defaultSize: 50, maxSize: 500 },
);

/** When the return was expected from (longest first), the case id. */
const expectedReturns = keysetList(
  [
    ["expectedSinceMicros", "micros"],
    ["caseId", "id"],
  ],
  { defaultSize: 100, maxSize: 500 },
);

/** When the replacement was accepted (oldest first), the case id. */
const replacementsToShip = keysetList(
  [
    ["sinceMicros", "micros"],
    ["caseId", "id"],
  ],
  { defaultSize: 100, maxSize: 500 },
);

/**
 * The steps late at the store, orders' and replacements' merged: the oldest deadline first,
 * then the reservation's or case's id, then the step.
 */
const overdueShipments = keysetList(
  [
    ["dueAtMicros", "micros"],
    ["id", "id"],
    ["step", "id"],
  ],
  { defaultSize: 100, maxSize: 500 },
);

export type PickListPosition = Position<"step" | "priority" | "sinceMicros" | "reservationId">;
export type ExpectedReturnPosition = Position<"expectedSinceMicros" | "caseId">;
export type ReplacementPosition = Position<"sinceMicros" | "caseId">;
export type OverduePosition = Position<"dueAtMicros" | "id" | "step">;

/** A page asked of a list: its size and the position it starts after (none: the first page). */
export interface PageAsked<P> {
  size: number;
  after: P | undefined;
}

export const pickListPageOf = (request: PageRequest, errors: FieldError[]): PageAsked<PickListPosition> => pickList.pageOf(request, errors);
export const nextPickListPageToken = pickList.tokenAfter;

export const expectedReturnPageOf = (request: PageRequest, errors: FieldError[]): PageAsked<ExpectedReturnPosition> => expectedReturns.pageOf(request, errors);
export const nextExpectedReturnPageToken = expectedReturns.tokenAfter;

export const replacementPageOf = (request: PageRequest, errors: FieldError[]): PageAsked<ReplacementPosition> => replacementsToShip.pageOf(request, errors);
export const nextReplacementPageToken = replacementsToShip.tokenAfter;

export const overduePageOf = (request: PageRequest, errors: FieldError[]): PageAsked<OverduePosition> => overdueShipments.pageOf(request, errors);
export const nextOverduePageToken = overdueShipments.tokenAfter;
