import type { warehouseApi } from "@oms/contracts";

/** An exchange's replacement goods as the gateway answers them (ADR 030): "" for what has not happened. */
export interface ReplacementView {
  caseId: string;
  orderId: string;
  storeId: string;
  /** "reserved" | "awaiting-stock" | "shipped" | "called-off" */
  status: string;
  lines: { sku: string; quantity: number }[];
  /** Where its units are (or were) reserved; empty while awaiting stock. */
  reserved: { sku: string; location: string; quantity: number }[];
  since: string;
  reservedAt: string;
  carrier: string;
  trackingNumber: string;
  shippedAt: string;
  shippedBy: string;
  calledOffAt: string;
  calledOffBy: string;
  calledOffReason: string;
  /** Sent from another store by the desk: the store it waited at, when, who ("staff:<id>") and why; "" when it never moved. */
  movedFromStoreId: string;
  movedAt: string;
  movedBy: string;
  moveReason: string;
  /** The clerk's pick and pack (ADR 030's seventh addendum): when and who; packed, its parcels and label. "" (0) while not done. */
  pickedAt: string;
  pickedBy: string;
  packedAt: string;
  packedBy: string;
  parcels: number;
  label: string;
  /** Opened before the steps: it ships in one go from reserved. */
  predatesSteps: boolean;
  /** "pick" | "pack" | "ship": the step its clerks owe now; "" while awaiting stock, shipped or called off. */
  awaitedStep: string;
}

export function replacementViewOf(r: warehouseApi.ReplacementView): ReplacementView {
  return {
    caseId: r.caseId,
    orderId: r.orderId,
    storeId: r.storeId,
    status: r.status,
    lines: r.lines.map(({ sku, quantity }) => ({ sku, quantity })),
    reserved: r.reserved.map(({ sku, location, quantity }) => ({ sku, location, quantity })),
    since: r.since,
    reservedAt: r.reservedAt,
    carrier: r.carrier,
    trackingNumber: r.trackingNumber,
    shippedAt: r.shippedAt,
    shippedBy: r.shippedBy,
    calledOffAt: r.calledOffAt,
    calledOffBy: r.calledOffBy,
    calledOffReason: r.calledOffReason,
    movedFromStoreId: r.movedFromStoreId,
    movedAt: r.movedAt,
    movedBy: r.movedBy,
    moveReason: r.moveReason,
    pickedAt: r.pickedAt,
    pickedBy: r.pickedBy,
    packedAt: r.packedAt,
    packedBy: r.packedBy,
    parcels: r.parcels,
    label: r.label,
    predatesSteps: r.predatesSteps,
    awaitedStep: r.awaitedStep,
  };
}
