import type pg from "pg";
import { showingsLog, type LoggedShowing } from "@oms/postgres";
import type { DisputeShowing, ShownDisputeField } from "../../domain/dispute-showings.ts";

/** One logged showing of a dispute's statement, as auditors read it back. Never the statement. */
export type DisputeDisclosure = LoggedShowing<ShownDisputeField>;

const log = showingsLog<ShownDisputeField>({ table: "dispute_disclosures", recordColumn: "dispute_id", statementName: "billing.dispute-disclosures" });

/** The append-only log of migration 013: written with the read that opened the statements. */
export const disputeDisclosureRepository = {
  /** Every showing of one view in one statement, however many disputes a list showed. */
  record: (db: pg.Pool | pg.ClientBase, showings: readonly DisputeShowing[]) => log.record(db, showings.map((s) => ({ ...s, recordId: s.disputeId }))),
  /** A dispute's showings, oldest first, a page at a time (ADR 024's showings addendum). */
  listForDispute: log.listFor,
};
