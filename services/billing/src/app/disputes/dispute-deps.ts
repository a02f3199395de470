import type pg from "pg";
import type { Actor } from "@oms/contracts";
import type { OutboxWriter } from "@oms/messaging";
import type { DisputeStatements } from "./dispute-statements.ts";

/** What reading a dispute needs: billing's pool, and the keys its statements are sealed under. */
export interface DisputeReadDeps {
  pool: pg.Pool;
  statements: DisputeStatements;
}

/** What the dispute use cases need: billing's pool, outbox and statements' keys, and how long a dispute may wait for its answer. */
export interface DisputeDeps extends DisputeReadDeps {
  outbox: OutboxWriter;
  /** BILLING_DISPUTE_RESPONSE_HOURS. */
  responseHours: number;
}

/** Who a step was taken by, as billing's tables spell it. */
export const actorLabel = (actor: Actor) => `${actor.kind}:${actor.id}`;
