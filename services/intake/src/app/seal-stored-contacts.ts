import type pg from "pg";
import type { events } from "@oms/contracts";
import type { Logger } from "@oms/observability";
import { withTransaction } from "@oms/postgres";
import type { OrderContacts } from "./order-contacts.ts";

/**
 * Orders stored before contacts were sealed (migration 009) carry them in the clear: each
 * start seals what is left, a batch per transaction, so a database upgraded in place holds
 * no contact in the clear once intake has started once. Instances starting together share
 * the work (SKIP LOCKED) instead of sealing a row twice. Nothing to do costs one query.
 */
export async function sealStoredContacts(pool: pg.Pool, contacts: OrderContacts, logger: Logger, batchSize = 500): Promise<number> {
  let sealed = 0;
  for (;;) {
    const count = await withTransaction(pool, async (tx) => {
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
    sealed += count;
    if (count < batchSize) break;
  }
  if (sealed > 0) logger.info({ sealed }, "contacts of orders stored before sealing are sealed now");
  return sealed;
}
