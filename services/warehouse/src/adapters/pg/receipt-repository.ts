import type pg from "pg";
import type { StockReceipt } from "../../domain/stock-count.ts";

/** The goods receipts booked, one row each, by the id the clerk gave them (per store). Writes take the caller's transaction. */
export const receiptRepository = {
  /** The receipt booked under this id at the store, if any. Read under the SKU's stock locks, so a twin waits for it. */
  async find(tx: pg.ClientBase, storeId: string, receiptId: string): Promise<StockReceipt | undefined> {
    const { rows } = await tx.query<{ sku: string; location: string; quantity: number }>(
      "SELECT sku, location, quantity FROM stock_receipts WHERE store_id = $1 AND receipt_id = $2",
      [storeId, receiptId],
    );
    const row = rows[0];
    return row && { storeId, receiptId, sku: row.sku, location: row.location, quantity: row.quantity };
  },

  async record(tx: pg.ClientBase, receipt: StockReceipt, receivedBy: string): Promise<void> {
    await tx.query("INSERT INTO stock_receipts (store_id, receipt_id, sku, location, quantity, received_by) VALUES ($1, $2, $3, $4, $5, $6)", [
      receipt.storeId,
      receipt.receiptId,
      receipt.sku,
      receipt.location,
      receipt.quantity,
      receivedBy,
    ]);
  },
};
