import { ConflictError, ForbiddenError, IllegalStateError, NotFoundError, ValidationError, type FieldError } from "@oms/errors";
import { allocate, type AllocatedLine, type RequestedLine, type ShortLine } from "./allocation.ts";
import type { AcceptedCase } from "./returns.ts";
import { carrierFieldErrors } from "./shipment.ts";
import type { StockAtLocation } from "./stock.ts";

/**
 * An accepted exchange's replacement goods leaving the order's store (ADR 030). The
 * acceptance reserves them if the store can promise them, or leaves them awaiting stock (a
 * shortage blocks nothing); a clerk ships them with a carrier (reserving them at that moment
 * when they were waiting and the stock is there now), or the after-sales desk calls them off
 * before they leave, releasing what was reserved. One replacement per case. Pure: the
 * adapter locks the stock rows and the replacement and passes them in.
 */

export type ReplacementStatus = "reserved" | "awaiting-stock" | "shipped" | "called-off";

export interface Replacement {
  caseId: string;
  orderId: string;
  storeId: string;
  /** As the case named them, one line per SKU. */
  lines: RequestedLine[];
  /** Where its units are reserved (or were, once shipped); empty while awaiting stock or never reserved. */
  reserved: AllocatedLine[];
  status: ReplacementStatus;
  /** When the exchange was accepted: the list's order. */
  since: Date;
  reservedAt?: Date;
  shipment?: ReplacementShipmentRecord;
  calledOff?: { at: Date; by: string; reason: string };
  /** Sent from another store by the desk (domain/replacement-move.ts): where it waited, when, who, why. */
  moved?: ReplacementMoveRecord;
  /** The clerk's pick and pack (replacement-steps.ts), as an order's shipment has them; none before the clerk takes them. */
  picked?: ReplacementStepRecord;
  packed?: ReplacementStepRecord & { parcels: number; label: string };
  /**
   * Opened before the twenty-seventh session gave replacements their pick and pack steps: it
   * ships in one go from reserved, as it did when it was opened, and keeps its one ship-by node.
   */
  predatesSteps?: boolean;
}

export interface ReplacementStepRecord {
  at: Date;
  /** "staff:<id>", as the ledger keeps who. */
  by: string;
}

export interface ReplacementMoveRecord {
  fromStoreId: string;
  at: Date;
  /** "staff:<id>", as the ledger keeps who. */
  by: string;
  reason: string;
}

export interface ReplacementShipmentRecord {
  carrier: string;
  trackingNumber: string;
  at: Date;
  /** "staff:<id>", as the ledger keeps who. */
  by: string;
}

/** What the acceptance decided for one new replacement: reserved now, or waiting for the short SKUs. */
export interface ReplacementOpened {
  replacement: Replacement;
  short: ShortLine[];
}

/** The case's SKUs once each, their quantities summed; none for a case that is not an exchange or names no goods. */
export function replacementLinesOf(accepted: Pick<AcceptedCase, "kind" | "lines">): RequestedLine[] {
  if (accepted.kind !== "exchange") return [];
  const bySku = new Map<string, number>();
  for (const line of accepted.lines) if (line.quantity > 0) bySku.set(line.sku, (bySku.get(line.sku) ?? 0) + line.quantity);
  return [...bySku].map(([sku, quantity]) => ({ sku, quantity }));
}

/**
 * The replacements a batch of acceptances opens, decided one after the other against the
 * stock as locked: what an earlier one reserves is no longer available to the next, so two
 * exchanges of the last kettle leave one awaiting stock. Acceptances of cases that have a
 * replacement already (heard again) and of other kinds open none.
 */
export function openReplacements(accepted: readonly AcceptedCase[], existing: ReadonlySet<string>, stock: readonly (StockAtLocation & { storeId: string })[]): ReplacementOpened[] {
  const levels = stock.map((s) => ({ ...s }));
  const opened: ReplacementOpened[] = [];
  const seen = new Set(existing);
  for (const a of accepted) {
    const lines = replacementLinesOf(a);
    if (lines.length === 0 || seen.has(a.caseId)) continue;
    seen.add(a.caseId);
    const atStore = levels.filter((s) => s.storeId === a.storeId);
    const decision = allocate(lines, atStore);
    const base = { caseId: a.caseId, orderId: a.orderId, storeId: a.storeId, lines, since: a.acceptedAt };
    if (decision.kind === "short") {
      opened.push({ replacement: { ...base, reserved: [], status: "awaiting-stock" }, short: decision.lines });
      continue;
    }
    for (const taken of decision.lines) {
      const row = atStore.find((s) => s.sku === taken.sku && s.location === taken.location)!;
      row.reserved += taken.quantity;
    }
    opened.push({ replacement: { ...base, reserved: decision.lines, status: "reserved", reservedAt: a.acceptedAt }, short: [] });
  }
  return opened;
}

/** A clerk's shipment of a replacement, as asked. */
export interface ReplacementShipment {
  caseId: string;
  carrier: string;
  trackingNumber: string;
}

export type ReplacementShipmentDecision =
  | { kind: "repeat" }
  /** `reserveNow`: units reserved in this step (it was awaiting stock); `leaving`: every unit that leaves stock. */
  | { kind: "ship"; after: Replacement; reserveNow: AllocatedLine[]; leaving: AllocatedLine[] };

/** The shipment's fields checked and trimmed, as an order's shipment checks its carrier and tracking number. */
export function assertReplacementShipment(shipment: ReplacementShipment): ReplacementShipment {
  const caseId = shipment.caseId.trim();
  const fields: FieldError[] = [...carrierFieldErrors(shipment.carrier, shipment.trackingNumber)];
  if (!caseId) fields.unshift({ field: "caseId", message: "is required" });
  if (fields.length > 0) throw new ValidationError(fields, undefined, "replacement.invalid-shipment");
  return { caseId, carrier: shipment.carrier.trim(), trackingNumber: shipment.trackingNumber.trim() };
}

/**
 * Ships a replacement: reserved units leave stock; units still awaited are reserved from the
 * locked stock and leave with them, or the shipment is refused naming each SKU short (nothing
 * is written). The case id is the shipment's id (ADR 015): the same carrier and tracking
 * number again is a retry and answers as it stands; another parcel for a shipped
 * replacement is refused, as is one for a replacement called off.
 */
export function decideReplacementShipment(
  replacement: Replacement,
  shipment: ReplacementShipment,
  stock: readonly StockAtLocation[],
  by: string,
  at: Date,
): ReplacementShipmentDecision {
  switch (replacement.status) {
    case "shipped": {
      const sent = replacement.shipment!;
      if (sent.carrier === shipment.carrier && sent.trackingNumber === shipment.trackingNumber) return { kind: "repeat" };
      throw new IllegalStateError(
        "replacement.already-shipped",
        `the replacement of case ${replacement.caseId} left with ${sent.carrier}, tracking ${sent.trackingNumber}; it is not shipped again with ${shipment.carrier} ${shipment.trackingNumber}`,
      );
    }
    case "called-off":
      throw new IllegalStateError("replacement.called-off", `the replacement of case ${replacement.caseId} was called off (${replacement.calledOff?.reason ?? ""}): there is nothing to ship`);
    case "reserved": {
      if (!replacement.predatesSteps && !replacement.packed) throw notPackedYet(replacement);
      const after: Replacement = { ...replacement, status: "shipped", shipment: { ...pick(shipment), at, by } };
      return { kind: "ship", after, reserveNow: [], leaving: replacement.reserved };
    }
    case "awaiting-stock": {
      // Since the steps, the pick reserves a waiting one (replacement-steps.ts); only an old one still ships in one go.
      if (!replacement.predatesSteps) throw notPackedYet(replacement);
      const decision = allocate(replacement.lines, stock);
      if (decision.kind === "short") {
        const short = decision.lines.map((l) => `${l.sku} (${l.requested} needed, ${l.available} available)`).join(", ");
        throw new IllegalStateError("replacement.out-of-stock", `the replacement of case ${replacement.caseId} still waits for stock: ${short}`);
      }
      const after: Replacement = { ...replacement, status: "shipped", reserved: decision.lines, reservedAt: at, shipment: { ...pick(shipment), at, by } };
      return { kind: "ship", after, reserveNow: decision.lines, leaving: decision.lines };
    }
    default: {
      const unknown: never = replacement.status;
      throw new Error(`unknown replacement status ${String(unknown)}`);
    }
  }
}

/** The desk's call-off, as asked. */
export interface ReplacementCallOff {
  caseId: string;
  reason: string;
}

export type ReplacementCallOffDecision = { kind: "repeat" } | { kind: "call-off"; after: Replacement; release: AllocatedLine[] };

const maxReasonLength = 500;

/** The call-off's fields checked and trimmed, every wrong one named. */
export function assertReplacementCallOff(callOff: ReplacementCallOff): ReplacementCallOff {
  const fields: FieldError[] = [];
  const caseId = callOff.caseId.trim();
  const reason = callOff.reason.trim();
  if (!caseId) fields.push({ field: "caseId", message: "is required" });
  if (!reason) fields.push({ field: "reason", message: "is required: why the replacement is not sent (the customer took a refund instead, the exchange was a mistake)" });
  else if (reason.length > maxReasonLength) fields.push({ field: "reason", message: `must be at most ${maxReasonLength} characters` });
  if (fields.length > 0) throw new ValidationError(fields, undefined, "replacement.invalid-call-off");
  return { caseId, reason };
}

/**
 * Calls a replacement off before it leaves: whatever was reserved for it is released. Called
 * off before, it answers as it stands whatever the reason now (the first reason stands); once
 * shipped, the goods are with the carrier and there is nothing left to call off.
 */
export function decideReplacementCallOff(replacement: Replacement, callOff: ReplacementCallOff, by: string, at: Date): ReplacementCallOffDecision {
  if (replacement.status === "called-off") return { kind: "repeat" };
  if (replacement.status === "shipped") {
    throw new IllegalStateError("replacement.already-shipped", `the replacement of case ${replacement.caseId} left with ${replacement.shipment?.carrier ?? "a carrier"}: it can no longer be called off`);
  }
  const release = replacement.status === "reserved" ? replacement.reserved : [];
  return { kind: "call-off", after: { ...replacement, status: "called-off", calledOff: { at, by, reason: callOff.reason } }, release };
}

/** A shipment or call-off naming a case with no replacement (not an exchange, or its acceptance not heard yet). */
export function replacementNotFound(caseId: string): NotFoundError {
  return new NotFoundError("replacement.not-found", `case ${caseId} has no replacement to send: only an accepted exchange has one (its acceptance may take a moment to arrive)`);
}

/**
 * A step read the replacement at one store and locked that store's stock rows, but the desk
 * moved it to another store before the step locked it (MoveReplacement): writing now would take
 * the other store's rows while holding the replacement's, against the lock order. The step is
 * applied again, reading the new store.
 */
export function replacementMovedMeanwhile(caseId: string, lockedStoreId: string, nowStoreId: string): ConflictError {
  return new ConflictError("replacement.moved-meanwhile", `the replacement of case ${caseId} moved from ${lockedStoreId} to ${nowStoreId} while this step locked stock; it is applied again`);
}

/**
 * A clerk ships a replacement only from a store they work at (`callerStoreIds`, as the gateway
 * holds them; none for staff working chain-wide). The gateway checks the store after-sales last
 * heard, which lags a move by the desk (ADR 030's third addendum), and a shipment that raced a
 * move is applied again at the new store: without this, the old store's clerk would ship it
 * from the new store's books while the parcel left their own shelf. Checked on the locked row.
 */
export function assertShipsFromCallersStore(replacement: Replacement, callerStoreIds: readonly string[]): void {
  if (callerStoreIds.length === 0 || callerStoreIds.includes(replacement.storeId)) return;
  const moved = replacement.moved ? ` (the desk sent it from there instead of ${replacement.moved.fromStoreId})` : "";
  throw new ForbiddenError(
    "caller.out-of-store-scope",
    `the replacement of case ${replacement.caseId} ships from ${replacement.storeId}${moved}, not one of your stores (you work at ${callerStoreIds.join(", ")})`,
  );
}

export const unitsOf = (lines: readonly { quantity: number }[]): number => lines.reduce((sum, l) => sum + l.quantity, 0);

/** Shipped before it was picked and packed: out of the order an order's shipment keeps (ADR 030's seventh addendum). */
function notPackedYet(replacement: Replacement): IllegalStateError {
  const missing = replacement.picked ? "packed" : "picked and packed";
  return new IllegalStateError("replacement.not-packed", `the replacement of case ${replacement.caseId} is ${replacement.status} and not yet ${missing}: a clerk picks and packs it before it ships`);
}

function pick(shipment: ReplacementShipment): { carrier: string; trackingNumber: string } {
  return { carrier: shipment.carrier, trackingNumber: shipment.trackingNumber };
}
