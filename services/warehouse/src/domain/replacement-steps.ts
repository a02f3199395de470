import { IllegalStateError, ValidationError, type FieldError } from "@oms/errors";
import { allocate, type AllocatedLine } from "./allocation.ts";
import type { Replacement } from "./replacements.ts";
import { parcelLabelOf } from "./shipment.ts";
import type { ShipmentStep } from "./step-deadlines.ts";
import type { StockAtLocation } from "./stock.ts";

/**
 * A replacement's way out at the clerk's desk (ADR 030's seventh addendum): picked, packed and
 * labelled, then shipped — the order an order's shipment keeps (shipment.ts). Each step is
 * recorded once: asked again it answers as recorded — also once the replacement is called off,
 * since a retry of a step done before (the clerk's answer lost) must not read as a new step
 * refused; out of order, or first asked after the call-off, it is refused naming why. A
 * replacement still awaiting stock is reserved by its pick when the stock is there now (the
 * clerk found it on the shelf), as its shipment did before the steps. One opened before the steps (`predatesSteps`) may still ship in one go; it may be picked
 * and packed too. Pure: the adapter locks the stock rows and the replacement and passes them in.
 */

export type ReplacementStepDecision =
  | { kind: "repeat" }
  /** `reserveNow`: units reserved by this step (it was awaiting stock). */
  | { kind: "step"; after: Replacement; reserveNow: AllocatedLine[] };

/**
 * The step the replacement's clerks owe now, the one its time node watches: pick, pack, then
 * ship; an old one ships in one go. None while it waits for stock, once shipped or called off.
 */
export function awaitedReplacementStep(replacement: Pick<Replacement, "status" | "picked" | "packed" | "predatesSteps">): ShipmentStep | undefined {
  if (replacement.status !== "reserved") return undefined;
  if (replacement.predatesSteps || replacement.packed) return "ship";
  return replacement.picked ? "pack" : "pick";
}

/** The clerk picked the replacement's goods (reserving them now if it was awaiting stock and they are there). */
export function decideReplacementPick(replacement: Replacement, stock: readonly StockAtLocation[], by: string, at: Date): ReplacementStepDecision {
  // A retry is the step already on record; the call-off refuses only a pick not yet made.
  if (replacement.picked) return { kind: "repeat" };
  refuseCalledOff(replacement, "pick");
  switch (replacement.status) {
    case "shipped":
      throw new IllegalStateError("replacement.already-shipped", `the replacement of case ${replacement.caseId} left with ${replacement.shipment?.carrier ?? "a carrier"} without a pick on record: there is nothing left to pick`);
    case "reserved":
      return { kind: "step", after: { ...replacement, picked: { at, by } }, reserveNow: [] };
    case "awaiting-stock": {
      const decision = allocate(replacement.lines, stock);
      if (decision.kind === "short") {
        const short = decision.lines.map((l) => `${l.sku} (${l.requested} needed, ${l.available} available)`).join(", ");
        throw new IllegalStateError("replacement.out-of-stock", `the replacement of case ${replacement.caseId} still waits for stock: ${short}`);
      }
      const after: Replacement = { ...replacement, status: "reserved", reserved: decision.lines, reservedAt: at, picked: { at, by } };
      return { kind: "step", after, reserveNow: decision.lines };
    }
    case "called-off":
      throw new Error("unreachable: refused above");
    default: {
      const unknown: never = replacement.status;
      throw new Error(`unknown replacement status ${String(unknown)}`);
    }
  }
}

/** The parcels count checked, as an order's pack checks it. */
export function assertReplacementParcels(parcels: number): number {
  const fields: FieldError[] = [];
  if (!Number.isInteger(parcels) || parcels < 1) fields.push({ field: "parcels", message: `must be a whole number >= 1, got ${parcels}` });
  if (fields.length > 0) throw new ValidationError(fields, undefined, "replacement.invalid-packing");
  return parcels;
}

/**
 * The clerk packed the picked goods into parcels; the replacement gets its label. The same
 * parcels again answer as recorded (even once called off); other parcels on a packed one are
 * refused (its label is on the boxes).
 */
export function decideReplacementPack(replacement: Replacement, parcels: number, by: string, at: Date): ReplacementStepDecision {
  const packed = replacement.packed;
  // A retry is the pack on record (the same parcels); other parcels are a new pack, refused below.
  if (packed?.parcels === parcels) return { kind: "repeat" };
  refuseCalledOff(replacement, "pack");
  if (packed) {
    throw new IllegalStateError("replacement.already-packed", `the replacement of case ${replacement.caseId} was packed in ${packed.parcels} parcel(s), label ${packed.label}; it is not packed again in ${parcels}`);
  }
  if (replacement.status === "shipped") {
    throw new IllegalStateError("replacement.already-shipped", `the replacement of case ${replacement.caseId} left with ${replacement.shipment?.carrier ?? "a carrier"}: there is nothing left to pack`);
  }
  if (!replacement.picked) {
    throw new IllegalStateError("replacement.not-picked", `the replacement of case ${replacement.caseId} is ${replacement.status} and not yet picked: a clerk picks it before packing it`);
  }
  const label = parcelLabelOf(replacement.caseId, replacement.storeId, parcels);
  return { kind: "step", after: { ...replacement, packed: { at, by, parcels, label } }, reserveNow: [] };
}

function refuseCalledOff(replacement: Replacement, step: "pick" | "pack"): void {
  if (replacement.status !== "called-off") return;
  throw new IllegalStateError("replacement.called-off", `the replacement of case ${replacement.caseId} was called off (${replacement.calledOff?.reason ?? ""}): there is nothing to ${step}`);
}
