import type pg from "pg";
import type { afterSalesApi } from "@oms/contracts";
import { caseDisclosureRepository } from "../adapters/pg/case-disclosure-repository.ts";
import { showingsOf, type CaseViewer } from "../domain/case-showings.ts";
import type { AfterSalesCase } from "../domain/case.ts";
import { roundOpenedBy } from "../domain/visit-rejection.ts";
import { caseViewOf, caseViewWithoutWords } from "./case-views.ts";
import type { SealedWords } from "./sealed-words.ts";

/**
 * Cases as a view shows them to `viewer` (ADR 017, showings addendum): each description opened
 * and every one shown logged in `db` in one statement — the caller passes the transaction that
 * read the cases, so a showing that cannot be logged is not given. A description no held key
 * opens is shown empty and is no showing. With no viewer the words stay sealed (empty) and
 * nothing is logged: nobody is shown them. The desk's call-off reason, sealed by the warehouse,
 * is opened and logged with them (ADR 024, twenty-fourth-session addendum), and so are the
 * customer's reasons for rejecting the visit's rounds (ADR 025, rework addendum).
 */
export async function casesShown(
  db: pg.Pool | pg.ClientBase,
  words: SealedWords,
  cases: readonly AfterSalesCase[],
  viewer: CaseViewer | undefined,
): Promise<afterSalesApi.CaseView[]> {
  if (!viewer) return cases.map(caseViewWithoutWords);
  const shown = cases.map((c) => ({
    caseId: c.caseId,
    orderId: c.orderId,
    description: words.shownDescriptionOf(c.caseId, c.description),
    goodsCalledOffReason: c.goodsCalledOff ? words.shownCallOffReasonOf(c.caseId, c.goodsCalledOff.reason) : "",
    visitRejectionReasons: (c.visit?.pastRounds ?? []).map((r) => words.shownVisitRejectionReasonOf(c.caseId, roundOpenedBy(r), r.rejection.reason)),
  }));
  await caseDisclosureRepository.record(db, showingsOf(shown, viewer));
  return cases.map((c, i) => caseViewOf(c, shown[i]!));
}
