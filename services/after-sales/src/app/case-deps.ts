import type pg from "pg";
import type { OutboxWriter } from "@oms/messaging";
import type { PolicyDefaults } from "../domain/policy.ts";
import type { SealedWords } from "./sealed-words.ts";

/**
 * What the case use cases need: the pool, the outbox of `oms.aftersales.case.v1`, a clock,
 * the chain's policy, the visits' acceptance period, and the keys the customer's own words are sealed under.
 */
export interface CaseDeps {
  pool: pg.Pool;
  outbox: OutboxWriter;
  clock: () => Date;
  policyDefaults: PolicyDefaults;
  words: SealedWords;
  /** How long after a repair or maintenance visit's report the customer may reject it (ADR 025, rework addendum). */
  visitAcceptanceHours: number;
}
