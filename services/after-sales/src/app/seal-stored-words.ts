import type pg from "pg";
import type { Logger } from "@oms/observability";
import { inTransactionsUntilShort } from "@oms/postgres";
import { caseRepository } from "../adapters/pg/case-repository.ts";
import { satisfactionRepository } from "../adapters/pg/satisfaction-repository.ts";
import type { SealedWords } from "./sealed-words.ts";

const batchSize = 200;

/**
 * Seals the customer's words stored before after-sales sealed them (migration 012) — cases'
 * descriptions and satisfaction answers' comments — a batch per transaction, at start: from
 * then on none is kept in the clear. Instances starting together share the rows (SKIP LOCKED)
 * rather than wait for each other. Logs counts, never the words.
 */
export async function sealStoredWords(
  pool: pg.Pool,
  words: SealedWords,
  logger: Logger,
  { callOffReasons: sealReasons = true }: { callOffReasons?: boolean } = {},
): Promise<{ descriptions: number; comments: number; callOffReasons: number }> {
  const descriptions = await inTransactionsUntilShort(pool, batchSize, async (tx) => {
    const rows = await caseRepository.lockClearDescriptions(tx, batchSize);
    for (const row of rows) await caseRepository.sealDescription(tx, row.caseId, words.sealDescription(row.caseId, row.description));
    return rows.length;
  });
  const comments = await inTransactionsUntilShort(pool, batchSize, async (tx) => {
    const rows = await satisfactionRepository.lockClearComments(tx, batchSize);
    for (const row of rows) await satisfactionRepository.sealComment(tx, row.orderId, words.sealComment(row.orderId, row.comment));
    return rows.length;
  });
  if (descriptions + comments > 0) logger.info({ descriptions, comments, keyId: words.keyId }, "customers' words stored in the clear in after-sales are now sealed");
  // The desk's call-off reasons stored before migration 018, sealed as the warehouse seals them now (ADR 024, twenty-fourth-session addendum);
  // left in the clear, as they were, when the caller says the warehouse's ring is not here yet (service.ts).
  if (!sealReasons) return { descriptions, comments, callOffReasons: 0 };
  const callOffReasons = await inTransactionsUntilShort(pool, batchSize, async (tx) => {
    const rows = await caseRepository.lockClearCallOffReasons(tx, batchSize);
    for (const row of rows) await caseRepository.sealCallOffReason(tx, row.caseId, words.sealCallOffReason(row.caseId, row.reason));
    return rows.length;
  });
  if (callOffReasons > 0) logger.info({ callOffReasons, keyId: words.reasonsKeyId }, "the desk's call-off reasons stored in the clear in after-sales are now sealed");
  return { descriptions, comments, callOffReasons };
}
