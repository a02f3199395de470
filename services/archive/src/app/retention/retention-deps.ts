import type pg from "pg";

/** What the retention use cases need: the pool, a clock (specs set it to tell what is due), the retention in years, and new disposal ids. */
export interface RetentionDeps {
  pool: pg.Pool;
  clock: () => Date;
  retentionYears: number;
  newId: () => string;
}
