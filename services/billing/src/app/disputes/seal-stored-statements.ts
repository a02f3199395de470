import type pg from "pg";
import type { Logger } from "@oms/observability";
import { inTransactionsUntilShort } from "@oms/postgres";
import { disputeRepository } from "../../adapters/pg/dispute-repository.ts";
import type { DisputeStatements } from "./dispute-statements.ts";

const batchSize = 200;

/**
 * Seals the statements of disputes opened before billing sealed them (migration 012), a batch
 * per transaction, at start: from then on none is kept in the clear. Instances starting
 * together share the rows (SKIP LOCKED) rather than wait for each other.
 */
export async function sealStoredStatements(pool: pg.Pool, statements: DisputeStatements, logger: Logger): Promise<number> {
  const sealed = await inTransactionsUntilShort(pool, batchSize, async (tx) => {
    const rows = await disputeRepository.lockClearStatements(tx, batchSize);
    for (const row of rows) await disputeRepository.sealStatement(tx, row.disputeId, statements.seal(row.disputeId, row.statement));
    return rows.length;
  });
  if (sealed > 0) logger.info({ disputes: sealed, keyId: statements.keyId }, "settlement disputes' statements stored in the clear are now sealed");
  return sealed;
}
