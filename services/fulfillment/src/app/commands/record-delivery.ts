import type { fulfillmentApi } from "@oms/contracts";
import { ValidationError } from "@oms/errors";
import type { Delivery } from "../../domain/order.ts";
import type { RunOrderCommand } from "../run-order-command.ts";

const proofKinds = new Set<Delivery["proofKind"]>(["signature", "photo", "one-time-code"]);

/** The rider, courier or counter records the hand-over: time, place, method, who, proof. */
export function recordDelivery(
  run: RunOrderCommand,
  request: fulfillmentApi.RecordDeliveryRequest,
  acceptancePeriodHours: number,
): Promise<fulfillmentApi.OrderView> {
  if (!proofKinds.has(request.proofKind as Delivery["proofKind"])) {
    throw new ValidationError([{ field: "proofKind", message: `must be one of ${[...proofKinds].join(", ")}` }]);
  }
  if (!Number.isSafeInteger(request.collectedMinor) || request.collectedMinor < 0) {
    throw new ValidationError([{ field: "collectedMinor", message: "must be a non-negative integer of minor units" }]);
  }
  return run(request, (actor) => ({
    type: "RecordDelivery",
    actor,
    acceptancePeriodHours,
    boundCollected: true,
    heldToAssignment: true,
    ...(request.partId ? { partId: request.partId } : {}),
    delivery: {
      deliveredAt: request.deliveredAt || new Date().toISOString(),
      place: request.place,
      method: request.method,
      deliveredBy: actor.id,
      proofKind: request.proofKind as Delivery["proofKind"],
      proofRef: request.proofRef,
      collectedMinor: request.collectedMinor,
    },
  }));
}
