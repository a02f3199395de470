/**
 * Rung when a transaction that wrote outbox rows has committed in this process, so the
 * relay publishes them at once instead of finding them by polling. Process-wide on
 * purpose: a writer and the relay of its schema live in the same process, and a relay
 * woken by another schema's commit just makes one pass that finds nothing.
 *
 * Not Postgres NOTIFY: Postgres serialises the commits of every notifying transaction
 * on one database-wide lock held across the commit's flush, which capped throughput
 * under load. Rows committed by another process (a second replica) are found by the
 * relay's slower fallback poll.
 */
export interface OutboxBell {
  ring(): void;
  /** Calls `listener` on every ring until the returned function is called. */
  listen(listener: () => void): () => void;
}

export function createOutboxBell(): OutboxBell {
  const listeners = new Set<() => void>();
  return {
    ring() {
      for (const listener of listeners) listener();
    },
    listen(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
  };
}

/** The process's bell, rung by OutboxWriter and heard by OutboxRelay. */
export const outboxBell: OutboxBell = createOutboxBell();
