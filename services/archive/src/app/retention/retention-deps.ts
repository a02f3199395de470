import type pg from "pg";
import { wholeNumberFromEnv } from "@oms/service-kit";
import { defaultRetentionYears, maxRetentionYears, minRetentionYears } from "../../domain/retention.ts";

/** What the retention use cases need: the pool, a clock (specs set it to tell what is due), the retention in years, and new disposal ids. */
export interface RetentionDeps {
  pool: pg.Pool;
  clock: () => Date;
  retentionYears: number;
  newId: () => string;
}

/** ARCHIVE_RETENTION_YEARS: whole years from 1 to 100, 30 when unset; anything else stops the start, naming the variable. */
export const retentionYearsFromEnv = (env: NodeJS.ProcessEnv): number =>
  wholeNumberFromEnv(env, "ARCHIVE_RETENTION_YEARS", defaultRetentionYears, minRetentionYears, maxRetentionYears);
