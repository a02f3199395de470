import type pg from "pg";
import type { events } from "@oms/contracts";
import type { Logger } from "@oms/observability";
import { inTransactionsUntilShort } from "@oms/postgres";
import type { OrderContacts } from "./order-contacts.ts";

/**
 * Orders stored before contacts were sealed (migration 009) carry them in the clear, and
 * corrections stored before migration 010 their values: each
 * start seals what is left, a batch per transaction, so a database upgraded in place holds
 * no contact in the clear once intake has started once. Instances starting together share
 * the work (SKIP LOCKED) instead of sealing a row twice. Nothing to do costs one query.
 */
export async function sealStoredContacts(pool: pg.Pool, contacts: OrderContacts, logger: Logger, batchSize = 500): Promise<number> {
  const sealed = await inTransactionsUntilShort(pool, batchSize, async (tx) => {
    const { rows } = await tx.query<{ order_id: string; canonical: events.CanonicalOrder }>(
      "SELECT order_id, canonical FROM orders WHERE sealed_contact IS NULL ORDER BY order_id LIMIT $1 FOR UPDATE SKIP LOCKED",
      [batchSize],
    );
    for (const row of rows) {
      const { sealedContact, ...content } = contacts.seal({ ...row.canonical, orderId: row.order_id, sealedContact: Buffer.alloc(0) });
      await tx.query("UPDATE orders SET canonical = $2, sealed_contact = $3 WHERE order_id = $1", [row.order_id, JSON.stringify(content), sealedContact]);
    }
    return rows.length;
  });
  const corrections = await sealStoredCorrections(pool, contacts, batchSize);
  if (sealed > 0 || corrections > 0) logger.info({ orders: sealed, corrections }, "personal data stored before sealing is sealed now");
  return sealed + corrections;
}

/** The same for corrections' values (migration 010), bound as correction-repository.ts binds them. */
async function sealStoredCorrections(pool: pg.Pool, contacts: OrderContacts, batchSize: number): Promise<number> {
  return inTransactionsUntilShort(pool, batchSize, async (tx) => {
    const { rows } = await tx.query<{ correction_id: string; changes: unknown; previous: unknown }>(
      "SELECT correction_id, changes, previous FROM order_corrections WHERE changes IS NOT NULL ORDER BY correction_id LIMIT $1 FOR UPDATE SKIP LOCKED",
      [batchSize],
    );
    for (const row of rows) {
      const bound = (what: string) => `correction:${row.correction_id}:${what}`;
      await tx.query("UPDATE order_corrections SET changes = NULL, sealed_changes = $2, previous = NULL, sealed_previous = $3 WHERE correction_id = $1", [
        row.correction_id,
        contacts.sealValue(row.changes, bound("changes")),
        row.previous === null ? null : contacts.sealValue(row.previous, bound("previous")),
      ]);
    }
    return rows.length;
  });
}
