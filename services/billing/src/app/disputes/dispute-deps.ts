import type pg from "pg";
import type { Actor } from "@oms/contracts";
import type { OutboxWriter } from "@oms/messaging";

/** What the dispute use cases need: billing's pool and outbox, and how long a dispute may wait for its answer. */
export interface DisputeDeps {
  pool: pg.Pool;
  outbox: OutboxWriter;
  /** BILLING_DISPUTE_RESPONSE_HOURS. */
  responseHours: number;
}

/** Who a step was taken by, as billing's tables spell it. */
export const actorLabel = (actor: Actor) => `${actor.kind}:${actor.id}`;
