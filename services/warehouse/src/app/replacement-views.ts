import type { warehouseApi } from "@oms/contracts";
import { awaitedReplacementStep } from "../domain/replacement-steps.ts";
import type { Replacement } from "../domain/replacements.ts";

/** A replacement as the contract carries it: "" for what has not happened. */
export function replacementView(r: Replacement): warehouseApi.ReplacementView {
  return {
    caseId: r.caseId,
    orderId: r.orderId,
    storeId: r.storeId,
    status: r.status,
    lines: r.lines.map((l) => ({ sku: l.sku, quantity: l.quantity, location: "" })),
    reserved: r.reserved.map((l) => ({ sku: l.sku, quantity: l.quantity, location: l.location })),
    since: r.since.toISOString(),
    reservedAt: r.reservedAt?.toISOString() ?? "",
    carrier: r.shipment?.carrier ?? "",
    trackingNumber: r.shipment?.trackingNumber ?? "",
    shippedAt: r.shipment?.at.toISOString() ?? "",
    shippedBy: r.shipment?.by ?? "",
    calledOffAt: r.calledOff?.at.toISOString() ?? "",
    calledOffBy: r.calledOff?.by ?? "",
    calledOffReason: r.calledOff?.reason ?? "",
    movedFromStoreId: r.moved?.fromStoreId ?? "",
    movedAt: r.moved?.at.toISOString() ?? "",
    movedBy: r.moved?.by ?? "",
    moveReason: r.moved?.reason ?? "",
    pickedAt: r.picked?.at.toISOString() ?? "",
    pickedBy: r.picked?.by ?? "",
    packedAt: r.packed?.at.toISOString() ?? "",
    packedBy: r.packed?.by ?? "",
    parcels: r.packed?.parcels ?? 0,
    label: r.packed?.label ?? "",
    predatesSteps: r.predatesSteps ?? false,
    awaitedStep: awaitedReplacementStep(r) ?? "",
  };
}
