import type pg from "pg";
import { showingsLog, type LoggedShowing } from "@oms/postgres";
import type { CaseShowing, ShownCaseField } from "../../domain/case-showings.ts";

/** One logged showing of a case's words, as auditors read it back. Never the words. */
export type CaseDisclosure = LoggedShowing<ShownCaseField>;

const log = showingsLog<ShownCaseField>({ table: "case_disclosures", recordColumn: "case_id", statementName: "after-sales.case-disclosures" });

/** The append-only log of migration 015: written with the read that opened the words. */
export const caseDisclosureRepository = {
  /** Every showing of one view in one statement, however many cases a list showed. */
  record: (db: pg.Pool | pg.ClientBase, showings: readonly CaseShowing[]) => log.record(db, showings.map((s) => ({ ...s, recordId: s.caseId }))),
  /** A case's showings, oldest first, a page at a time (ADR 024's showings addendum). */
  listForCase: log.listFor,
};
