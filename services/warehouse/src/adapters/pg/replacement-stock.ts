import type pg from "pg";
import type { Actor } from "@oms/contracts";
import { ConflictError } from "@oms/errors";
import type { AllocatedLine } from "../../domain/allocation.ts";
import { movementColumns } from "./stock-repository.ts";

/** The order and the exchange case units move for, who moved them and why. */
export interface ReplacementMovementContext {
  storeId: string;
  orderId: string;
  caseId: string;
  reason: string;
  actor: Actor;
}

type MovementKind = "reserved" | "released" | "shipped";

/**
 * An exchange's replacement moving stock (ADR 030), like an order's reservation: reserved
 * units are promised, released ones free again, shipped ones leave on_hand and reserved
 * alike. Each movement names the order and the case (no reservation: the replacement is
 * the case's), so the books balance as for an order's shipment. Each call is one statement
 * for all its lines; the caller holds the rows' locks (stockRepository.lockForSkus), and a
 * row the guard refuses means the stock moved under it: the transaction is rolled back.
 */
export const replacementStock = {
  /** Adds the lines to `reserved`, each only while the safety stock stays untouched. */
  reserve: (tx: pg.ClientBase, lines: readonly AllocatedLine[], context: ReplacementMovementContext) =>
    move(tx, "reserved", "reserved = s.reserved + l.quantity", "s.on_hand - s.reserved - s.safety_stock >= l.quantity", lines, context),

  /** Takes the lines off `reserved`: available again. */
  release: (tx: pg.ClientBase, lines: readonly AllocatedLine[], context: ReplacementMovementContext) =>
    move(tx, "released", "reserved = s.reserved - l.quantity", "s.reserved >= l.quantity", lines, context),

  /** The reserved units leave the store: off `on_hand` and `reserved` alike. */
  ship: (tx: pg.ClientBase, lines: readonly AllocatedLine[], context: ReplacementMovementContext) =>
    move(tx, "shipped", "on_hand = s.on_hand - l.quantity, reserved = s.reserved - l.quantity", "s.reserved >= l.quantity", lines, context),
};

async function move(tx: pg.ClientBase, kind: MovementKind, change: string, guard: string, lines: readonly AllocatedLine[], context: ReplacementMovementContext): Promise<void> {
  if (lines.length === 0) return;
  const { rowCount } = await tx.query(
    `WITH moving AS (
       SELECT * FROM unnest($2::text[], $3::text[], $4::int[]) AS l(sku, location, quantity)
     ), updated AS (
       UPDATE stock s SET ${change}, updated_at = now()
       FROM moving l
       WHERE s.store_id = $1 AND s.sku = l.sku AND s.location = l.location AND ${guard}
       RETURNING s.sku, s.location, l.quantity
     )
     INSERT INTO stock_movements (${movementColumns}, case_id)
     SELECT $1, sku, location, '${kind}', quantity, $5, NULL, $6, $7, $8, $9, $10 FROM updated`,
    [
      context.storeId,
      lines.map((l) => l.sku),
      lines.map((l) => l.location),
      lines.map((l) => l.quantity),
      context.orderId,
      context.reason,
      context.actor.kind,
      context.actor.id,
      context.actor.role,
      context.caseId,
    ],
  );
  if (rowCount !== lines.length) {
    throw new ConflictError(`stock.moved-while-replacing`, `only ${rowCount} of ${lines.length} lines of case ${context.caseId}'s replacement could be ${kind}`);
  }
}
