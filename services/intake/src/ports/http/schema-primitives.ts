import { z } from "zod";

/** The building blocks of the API's zod schemas, so every body bounds text and money the same way. */

// Postgres stores no NUL character (in text or jsonb): refused here as a field error, not failed on at commit.
const noNul = (value: string) => !value.includes("\u0000");
const noNulMessage = "must not contain a NUL character";

export const text = (max: number) => z.string().trim().min(1).max(max).refine(noNul, noNulMessage);
export const optionalText = (max: number) => z.string().trim().max(max).refine(noNul, noNulMessage).optional();
// Bounds keep every sum of minor units far below 2^53.
export const minor = (max = 100_000_000_000) => z.int().min(0).max(max);
export const dateTime = z.iso.datetime({ offset: true });
/**
 * A list's page token (ADR 033): opaque, checked by the list that gave it. Long enough for any
 * token a list gives: one naming a caller's own id (a case id, a force-majeure event id, a
 * customer id: up to 200 characters, ADR 015) JSON-escaped (six bytes a control character) and
 * base64url-encoded runs to some 1,700 characters; 512 refused the tokens after-sales and billing
 * gave for a case id in Chinese (the after-sales paging's second reading), so every list takes one bound.
 */
export const pageToken = text(2_048);
/** A whole number from a query string, where everything arrives as text. */
export const queryInt = (min: number, max: number) => z.coerce.number().int().min(min).max(max);
export const currency = z.string().regex(/^[A-Z]{3}$/, "must be an ISO 4217 currency code, e.g. CNY");

/** For a list that names each thing once: an issue at each repeat's path, "<key> is already in the <what>". */
export function refuseRepeats(keys: readonly string[], pathOf: (i: number) => PropertyKey[], what: string, context: z.RefinementCtx): void {
  const seen = new Set<string>();
  keys.forEach((key, i) => {
    if (seen.has(key)) context.addIssue({ code: "custom", path: pathOf(i), message: `${key} is already in the ${what}` });
    seen.add(key);
  });
}
