import { IllegalStateError } from "@oms/errors";

/**
 * A conditional change (`If-Match: "<version>"`) of a store's profile or a price-list item
 * whose version moved meanwhile: someone else changed it, and writing over their change
 * unseen would lose it. HTTP answers it 412; nothing is written.
 */
export class StaleVersionError extends IllegalStateError {
  constructor(what: string, expected: number, actual: number | undefined) {
    super(
      "catalogue.version-stale",
      actual === undefined
        ? `${what} does not exist, so it is not at version ${expected}`
        : `${what} is at version ${actual}, not ${expected}: someone changed it meanwhile; read it again and decide on what it says now`,
    );
  }
}

/** Refuses a conditional change whose expected version is not the one in force (a missing subject has none). */
export function assertVersionMatches(what: string, expected: number | undefined, actual: number | undefined): void {
  if (expected !== undefined && expected !== actual) throw new StaleVersionError(what, expected, actual);
}
