import type pg from "pg";

/**
 * Which store intake's own records belong to, by id: what the gateway's store scope asks
 * before a store-scoped caller touches them. One indexed lookup each; no personal data.
 */
export const recordStores = {
  /** The store the order was taken for (fulfillment may since have moved it, or parts of it). */
  async ofOrder(db: pg.Pool, orderId: string): Promise<string | undefined> {
    const { rows } = await db.query<{ store_id: string }>({ name: "intake.scope.order-store", text: "SELECT store_id FROM orders WHERE order_id = $1", values: [orderId] });
    return rows[0]?.store_id;
  },

  async ofReview(db: pg.Pool, reviewId: string): Promise<string | undefined> {
    const { rows } = await db.query<{ store_id: string }>({ name: "intake.scope.review-store", text: "SELECT store_id FROM reviews WHERE review_id = $1", values: [reviewId] });
    return rows[0]?.store_id;
  },

  async ofCorrection(db: pg.Pool, correctionId: string): Promise<string | undefined> {
    const { rows } = await db.query<{ store_id: string }>({
      name: "intake.scope.correction-store",
      text: "SELECT store_id FROM order_corrections WHERE correction_id = $1",
      values: [correctionId],
    });
    return rows[0]?.store_id;
  },
};
