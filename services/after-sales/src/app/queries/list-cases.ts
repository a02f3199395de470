import type pg from "pg";
import type { afterSalesApi } from "@oms/contracts";
import { ValidationError, type FieldError } from "@oms/errors";
import { retryOnConflict, withTransaction } from "@oms/postgres";
import { caseListOrderOf, caseRepository } from "../../adapters/pg/case-repository.ts";
import { viewerOf } from "../../domain/case-showings.ts";
import { caseStatuses } from "../../domain/case.ts";
import { caseKinds } from "../../domain/policy.ts";
import { casesShown } from "../case-showings.ts";
import type { SealedWords } from "../sealed-words.ts";
import { casePageOf, nextCasePageToken } from "./case-pages.ts";

/**
 * A store's cases (or an order's, in any store), newest first, narrowed by status and kind;
 * with `refundShortfall`, only those whose refund fell short and finance has not settled yet
 * — finance's and customer service's worklist, every store's when no store is named; with
 * `replacementLate`, only those whose replacement is late to ship, the longest overdue first
 * — the desk's worklist of replacements to chase (ADR 030's sixth addendum); with `inRework`,
 * only repairs and maintenance whose visit awaits a rework round's report (ADR 025,
 * twenty-sixth-session addendum). A page at a time (ADR 017, twenty-ninth session's addendum):
 * `nextPageToken` continues it, "" on the last page, so a worklist longer than a page is no
 * longer cut short unsaid; `limit` is the page size's older name. The descriptions of the
 * page's cases are opened for the caller the request names, every one shown logged in one
 * statement in the transaction that read them; left sealed when it names none.
 */
export async function listCases(pool: pg.Pool, words: SealedWords, request: afterSalesApi.ListCasesRequest): Promise<afterSalesApi.ListCasesResponse> {
  const fields: FieldError[] = [];
  const storeId = request.storeId.trim();
  const orderId = request.orderId.trim();
  // Every store's late replacements is no one desk's worklist: only short refunds are listed chain-wide.
  if (!storeId && !orderId && (!request.refundShortfall || request.replacementLate || request.inRework)) {
    fields.push({ field: "storeId", message: "is required unless orderId is given, or refundShortfall without replacementLate or inRework" });
  }
  if (request.status && !(caseStatuses as readonly string[]).includes(request.status)) fields.push({ field: "status", message: `must be one of ${caseStatuses.join(", ")}` });
  if (request.kind && !(caseKinds as readonly string[]).includes(request.kind)) fields.push({ field: "kind", message: `must be one of ${caseKinds.join(", ")}` });
  const order = caseListOrderOf({ replacementLate: request.replacementLate });
  const page = casePageOf({ pageSize: request.pageSize ?? 0, limit: request.limit, pageToken: request.pageToken ?? "" }, order, fields);
  if (fields.length > 0) throw new ValidationError(fields);
  const viewer = viewerOf(request.caller, request.correlationId);
  const read = async (db: pg.Pool | pg.ClientBase) => {
    // One more than the page: whether a next page exists, without a count. Only the page's own cases are shown (and logged).
    const filter = {
      ...(storeId ? { storeId } : {}),
      ...(orderId ? { orderId } : {}),
      ...(request.status ? { status: request.status } : {}),
      ...(request.kind ? { kind: request.kind } : {}),
      ...(request.refundShortfall ? { refundShortfall: true } : {}),
      ...(request.replacementLate ? { replacementLate: true } : {}),
      ...(request.inRework ? { inRework: true } : {}),
    };
    const withOneMore = await caseRepository.list(db, filter, { size: page.size + 1, after: page.after });
    const listed = withOneMore.slice(0, page.size);
    return {
      cases: await casesShown(db, words, listed.map((c) => c.listed), viewer),
      nextPageToken: nextCasePageToken(order, listed.at(-1)?.position, withOneMore.length > page.size),
    };
  };
  // Only a showing needs the transaction; a list naming nobody stays one round trip (ADR 010).
  // Logging its showings takes a key-share lock on each case listed (the log's foreign key), one
  // after the other, so it can meet a consumer's batch or the timer poller's locking the same cases in
  // another order in a deadlock: a read, it is taken again rather than answered "concurrent update".
  return viewer ? retryOnConflict(() => withTransaction(pool, read)) : read(pool);
}
