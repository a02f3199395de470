import { ForbiddenError } from "@oms/errors";
import type { RecordDelivery } from "./commands.ts";
import type { Order } from "./order.ts";

/** DOMAIN.md: the rider, service staff or business owner dispatch gave the work to executes and hands it over. */
const holdersOnly: ReadonlySet<string> = new Set(["rider", "service-staff", "business-owner"]);
/** At the counter a pick-up is handed over against the customer's one-time code (its proof), by whoever is at the counter. */
const atTheCounter: ReadonlySet<string> = new Set(["counter", "order-taker"]);

/** Who of the staff record a delivery at all; the store manager answers for the store, on anyone's behalf. */
export const deliveringRoles: ReadonlySet<string> = new Set([...holdersOnly, ...atTheCounter, "store-manager"]);

/**
 * A member of staff records the delivery of what is theirs to hand over (ADR 022, twenty-seventh
 * session, second reading): a rider, service staff or business owner the order — or, on a split
 * order, the part — dispatch gave them (`holder`, as fulfillment heard it from dispatch's
 * TaskAssigned); the counter and order takers a pick-up only. Checked on a caller's request only
 * (`heldToAssignment`): a delivery dispatch reported from a service report was checked there.
 */
export function assertDeliversTheirOwn(command: RecordDelivery, order: Order, holder: string | undefined): void {
  const { actor } = command;
  if (actor.kind !== "staff" || !command.heldToAssignment) return;
  if (atTheCounter.has(actor.role) && order.fulfillmentMethod !== "pickup") {
    throw new ForbiddenError("order.delivery-by-staff", `the ${actor.role} hands over pick-up orders at the counter; order ${order.orderId} is its rider's or service staff's to record`);
  }
  if (holdersOnly.has(actor.role) && actor.id !== holder) {
    throw new ForbiddenError("order.delivery-not-theirs", `order ${order.orderId} is held by another; its assignee or the store manager records its delivery`);
  }
}
