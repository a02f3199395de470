import type pg from "pg";
import type { OutboxWriter } from "@oms/messaging";
import type { PolicyDefaults } from "../domain/policy.ts";

/** What the case use cases need: the pool, the outbox of `oms.aftersales.case.v1`, a clock, the chain's policy. */
export interface CaseDeps {
  pool: pg.Pool;
  outbox: OutboxWriter;
  clock: () => Date;
  policyDefaults: PolicyDefaults;
}
