import { IllegalStateError, NotFoundError, ValidationError, type FieldError } from "@oms/errors";
import { allocate, type AllocatedLine } from "./allocation.ts";
import type { Replacement } from "./replacements.ts";
import type { StockAtLocation } from "./stock.ts";

/**
 * The after-sales desk sends a replacement awaiting stock from another store that has the goods
 * (ADR 030's third addendum): the customer waits no longer for a delivery at the order's store
 * when a store across town has the kettle on its shelf. Only a waiting replacement moves, and only
 * to a store that can reserve every line now (the same all-or-nothing allocation as at the
 * acceptance, never the safety stock): a move that left it waiting elsewhere would only change
 * which store the customer waits on. It moves once: reserved at the new store, it is that store's
 * to ship. Pure: the adapter locks both stores' stock rows and the replacement and passes them in.
 */

/** The desk's move, as asked. */
export interface ReplacementMove {
  caseId: string;
  toStoreId: string;
  reason: string;
}

/** The target store as the warehouse knows it: whether at all, whether it takes orders, and its locked rows of the replacement's SKUs. */
export interface MoveTarget {
  known: boolean;
  /**
   * False when the store's published profile (ADR 028) says it takes no orders (closed,
   * renovating): routing sends it none, and the desk may not send it a replacement to ship.
   * A store known only by its stock (no profile heard) counts as open, as routing's seed does.
   */
  acceptingOrders: boolean;
  stock: readonly StockAtLocation[];
}

export type ReplacementMoveDecision = { kind: "repeat" } | { kind: "move"; after: Replacement; reserve: AllocatedLine[] };

const maxReasonLength = 500;

/** The move's fields checked and trimmed, every wrong one named. */
export function assertReplacementMove(move: ReplacementMove): ReplacementMove {
  const fields: FieldError[] = [];
  const caseId = move.caseId.trim();
  const toStoreId = move.toStoreId.trim();
  const reason = move.reason.trim();
  if (!caseId) fields.push({ field: "caseId", message: "is required" });
  if (!toStoreId) fields.push({ field: "toStoreId", message: "is required: the store to ship the replacement from" });
  if (!reason) fields.push({ field: "reason", message: "is required: why it ships from another store (the order's store waits weeks for the goods)" });
  else if (reason.length > maxReasonLength) fields.push({ field: "reason", message: `must be at most ${maxReasonLength} characters` });
  if (fields.length > 0) throw new ValidationError(fields, undefined, "replacement.invalid-move");
  return { caseId, toStoreId, reason };
}

/**
 * Moves a replacement awaiting stock to the target store, reserving every line there, or refuses
 * with nothing written: one no longer waiting (reserved, shipped, called off), the store it waits
 * at already, a store the warehouse does not know or one not taking orders, a store short of any line (each SKU named). The
 * same caller moving it to the same store again is a retry: it answers as it stands, whatever
 * happened to it since.
 */
export function decideReplacementMove(replacement: Replacement, move: ReplacementMove, target: MoveTarget, by: string, at: Date): ReplacementMoveDecision {
  const { caseId } = replacement;
  if (replacement.moved && replacement.storeId === move.toStoreId && replacement.moved.by === by) return { kind: "repeat" };
  switch (replacement.status) {
    case "shipped":
      throw new IllegalStateError("replacement.already-shipped", `the replacement of case ${caseId} left ${replacement.storeId} with ${replacement.shipment?.carrier ?? "a carrier"}: it can no longer move`);
    case "called-off":
      throw new IllegalStateError("replacement.called-off", `the replacement of case ${caseId} was called off: there is nothing to send`);
    case "reserved":
      throw new IllegalStateError(
        "replacement.not-awaiting-stock",
        `the replacement of case ${caseId} is reserved at ${replacement.storeId} already: only one awaiting stock is sent from another store`,
      );
    case "awaiting-stock":
      break;
    default: {
      const unknown: never = replacement.status;
      throw new Error(`unknown replacement status ${String(unknown)}`);
    }
  }
  if (move.toStoreId === replacement.storeId) {
    throw new IllegalStateError("replacement.same-store", `the replacement of case ${caseId} waits at ${replacement.storeId} already: name another store to send it from`);
  }
  if (!target.known) throw new NotFoundError("store.unknown", `the warehouse knows no store ${move.toStoreId}`);
  if (!target.acceptingOrders) {
    throw new IllegalStateError(
      "store.not-accepting-orders",
      `${move.toStoreId} is not taking orders (closed in its profile): it cannot ship the replacement of case ${caseId}; choose a store that is open`,
    );
  }
  const decision = allocate(replacement.lines, target.stock);
  if (decision.kind === "short") {
    const short = decision.lines.map((l) => `${l.sku} (${l.requested} needed, ${l.available} available)`).join(", ");
    throw new IllegalStateError("replacement.out-of-stock", `${move.toStoreId} cannot send the replacement of case ${caseId} whole: ${short}`);
  }
  const moved = { fromStoreId: replacement.storeId, at, by, reason: move.reason };
  const after: Replacement = { ...replacement, storeId: move.toStoreId, status: "reserved", reserved: decision.lines, reservedAt: at, moved };
  return { kind: "move", after, reserve: decision.lines };
}
