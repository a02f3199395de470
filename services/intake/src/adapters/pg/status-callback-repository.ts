import type pg from "pg";

/** One status change to push back to a marketplace. No personal data. */
export interface StatusCallback {
  eventId: string;
  orderId: string;
  platform: string;
  channelOrderId: string;
  status: string;
  reason: string;
  /** A cancellation's code from fulfillment's closed list (migration 019); "" otherwise, and pushed without one. */
  reasonCode: string;
  /** A shipment's parcel (empty for other changes): marketplaces mark an order shipped with it. */
  carrier: string;
  trackingNumber: string;
  occurredAt: Date;
  /** Attempts made before this one. */
  attempts: number;
}

interface CallbackRow {
  event_id: string;
  order_id: string;
  platform: string;
  channel_order_id: string;
  status: string;
  reason: string;
  reason_code: string;
  carrier: string;
  tracking_number: string;
  occurred_at: Date;
  attempts: number;
}

/** The durable queue of status pushes (migrations 003, 019); claimed with a lease so instances share it. */
export const statusCallbackRepository = {
  /**
   * Queues pushes once per event: a redelivered event adds nothing. A cancellation is queued once
   * per order: an intake from before the twenty-eighth session queued it from the status change
   * to cancelled (another event id) and passed the OrderCancelled over, so that event heard again
   * — an upgrade straddling the two, a crash's redelivery, a replay — would tell the marketplace
   * twice (migration 020 indexes the look-up). An order is cancelled at most once.
   */
  async enqueue(tx: pg.ClientBase, callbacks: readonly Omit<StatusCallback, "attempts">[]): Promise<void> {
    if (callbacks.length === 0) return;
    await tx.query(
      `INSERT INTO status_callbacks (event_id, order_id, platform, channel_order_id, status, reason, occurred_at, carrier, tracking_number, reason_code, next_attempt_at)
       SELECT e.*, now() FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[], $7::timestamptz[], $8::text[], $9::text[], $10::text[])
         AS e(event_id, order_id, platform, channel_order_id, status, reason, occurred_at, carrier, tracking_number, reason_code)
       WHERE e.status <> 'cancelled'
          OR NOT EXISTS (SELECT 1 FROM status_callbacks s WHERE s.order_id = e.order_id AND s.status = 'cancelled')
       ON CONFLICT (event_id) DO NOTHING`,
      [
        callbacks.map((c) => c.eventId),
        callbacks.map((c) => c.orderId),
        callbacks.map((c) => c.platform),
        callbacks.map((c) => c.channelOrderId),
        callbacks.map((c) => c.status),
        callbacks.map((c) => c.reason),
        callbacks.map((c) => c.occurredAt.toISOString()),
        callbacks.map((c) => c.carrier),
        callbacks.map((c) => c.trackingNumber),
        callbacks.map((c) => c.reasonCode),
      ],
    );
  },

  /**
   * Takes up to `limit` due pushes and hides them for `leaseMs` (another instance, or this
   * one after a crash, takes them again after that). An order's changes go out in order:
   * a push waits while an earlier one of the same order is still pending.
   */
  async claimDue(pool: pg.Pool, limit: number, leaseMs: number): Promise<StatusCallback[]> {
    const { rows } = await pool.query<CallbackRow>(
      `UPDATE status_callbacks SET next_attempt_at = now() + make_interval(secs => $2::double precision / 1000)
       WHERE event_id IN (
         SELECT c.event_id FROM status_callbacks c
         WHERE c.state = 'pending' AND c.next_attempt_at <= now()
           AND NOT EXISTS (SELECT 1 FROM status_callbacks e
                           WHERE e.order_id = c.order_id AND e.state = 'pending' AND (e.occurred_at, e.event_id) < (c.occurred_at, c.event_id))
         ORDER BY c.next_attempt_at LIMIT $1 FOR UPDATE SKIP LOCKED)
       RETURNING event_id, order_id, platform, channel_order_id, status, reason, reason_code, carrier, tracking_number, occurred_at, attempts`,
      [limit, leaseMs],
    );
    return rows.map((r) => ({
      eventId: r.event_id,
      orderId: r.order_id,
      platform: r.platform,
      channelOrderId: r.channel_order_id,
      status: r.status,
      reason: r.reason,
      reasonCode: r.reason_code,
      carrier: r.carrier,
      trackingNumber: r.tracking_number,
      occurredAt: r.occurred_at,
      attempts: r.attempts,
    }));
  },

  async recordAttempt(
    pool: pg.Pool,
    eventId: string,
    outcome: { state: "delivered" } | { state: "pending"; retryInMs: number; error: string } | { state: "failed"; error: string },
  ): Promise<void> {
    await pool.query(
      `UPDATE status_callbacks SET attempts = attempts + 1, state = $2, last_error = $3,
              delivered_at = CASE WHEN $2 = 'delivered' THEN now() END,
              next_attempt_at = now() + make_interval(secs => $4::double precision / 1000)
       WHERE event_id = $1`,
      [eventId, outcome.state, outcome.state === "delivered" ? null : outcome.error, outcome.state === "pending" ? outcome.retryInMs : 0],
    );
  },
};
