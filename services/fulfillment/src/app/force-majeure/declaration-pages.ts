/**
 * Paging a store's force-majeure declarations (ADR 027, twenty-ninth session's addendum) by keyset
 * (@oms/postgres keyset-pages.ts) on the list's own order: the newest declaration first, the
 * event id breaking a tie — so a declaration made while a manager reads the history is neither
 * repeated nor skipped, and a store's history of years is read whole, not cut at 200 unsaid.
 */
import type { FieldError } from "@oms/errors";
import { keysetList, type Position } from "@oms/postgres";

const declarations = keysetList(
  [
    ["declaredAtMicros", "micros"],
    ["eventId", "id"],
  ],
  // A store declares a few a year; a page of 100 is its history of years, counted with its held orders.
  { defaultSize: 100, maxSize: 500 },
);

export const defaultDeclarationPageSize = declarations.defaultSize;
export const maxDeclarationPageSize = declarations.maxSize;

/** Where a page ended: the last declaration's time in microseconds since the epoch and its event id. */
export type DeclarationPosition = Position<"declaredAtMicros" | "eventId">;

export function declarationPageOf(request: { pageSize: number; pageToken: string }, errors: FieldError[]): { size: number; after: DeclarationPosition | undefined } {
  return declarations.pageOf(request, errors);
}

export const nextDeclarationPageToken = declarations.tokenAfter;
