/**
 * Paging a store's settlement disputes (ADR 026, twenty-eighth session's addendum) the way
 * finance's carrier recoveries are paged (carrier-recoveries/recovery-pages.ts): keyset on the
 * list's own order — the oldest opening first, the dispute id breaking a tie — so a dispute
 * opened while the list is being read neither repeats nor skips one already listed. The token is
 * opaque to callers; one this code did not give is refused naming `pageToken`.
 */
import type { FieldError } from "@oms/errors";

/** A page when the caller names no size, and the most one holds (each dispute carries its findings and statement). */
export const defaultDisputePageSize = 200;
export const maxDisputePageSize = 500;

/** Where a page ended: the last dispute's opening in microseconds since the epoch (decimal text) and its id. */
export interface DisputePosition {
  openedAtMicros: string;
  disputeId: string;
}

/** The micros Postgres rebuilds a time from exactly (epoch plus a double times an interval): 1685 to 2255. */
const maxExactMicros = 2n ** 53n;
/** Dispute ids are billing's uuids; a token naming a longer one is not one this list gave. */
const disputeIdMax = 200;

/** The page asked: its size and where it starts; problems go to `errors`, naming the field. */
export function disputePageOf(request: { pageSize: number; pageToken: string }, errors: FieldError[]): { size: number; after: DisputePosition | undefined } {
  const asked = request.pageSize;
  const sizeOk = Number.isInteger(asked) && asked >= 0 && asked <= maxDisputePageSize;
  if (!sizeOk) errors.push({ field: "pageSize", message: `must be 1 to ${maxDisputePageSize} (0: ${defaultDisputePageSize})` });
  return { size: (sizeOk ? asked : 0) || defaultDisputePageSize, after: positionOfToken(request.pageToken, errors) };
}

function positionOfToken(token: string, errors: FieldError[]): DisputePosition | undefined {
  if (token === "") return undefined;
  try {
    const [openedAtMicros, disputeId] = JSON.parse(Buffer.from(token, "base64url").toString("utf8")) as unknown[];
    if (typeof openedAtMicros === "string" && /^-?\d{1,19}$/.test(openedAtMicros) && typeof disputeId === "string" && disputeId.length > 0 && disputeId.length <= disputeIdMax) {
      const micros = BigInt(openedAtMicros);
      if (micros <= maxExactMicros && micros >= -maxExactMicros) return { openedAtMicros, disputeId };
    }
  } catch {
    // Not base64url JSON: refused below like any other token this list did not give.
  }
  errors.push({ field: "pageToken", message: "is not a page token this list gave" });
  return undefined;
}

/** The token continuing after `last`, when the extra row read shows there is more; "" when not. */
export function nextDisputePageToken(last: DisputePosition | undefined, more: boolean): string {
  return more && last ? Buffer.from(JSON.stringify([last.openedAtMicros, last.disputeId])).toString("base64url") : "";
}
