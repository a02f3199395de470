import { NotFoundError } from "@oms/errors";
import type { OrderCommand } from "./commands.ts";
import type { Order } from "./order.ts";

/** The channel of a marketplace's orders, as the canonical order spells it (events' common.proto: `marketplace:<platform>`). */
const marketplaceChannelOf = (platform: string) => `marketplace:${platform}`;

/**
 * Facts another service reports about the order (record-downstream-event.ts). Their actor is
 * whoever that service let report it — a carrier's platform raising a shipment exception on
 * goods it carries, through the warehouse — not a caller asking fulfillment for the order, so
 * the platform rule below is not theirs: refusing one would dead-letter the fact, and the
 * customer would never hear of the delay (ADR 022, twenty-seventh session, second reading).
 */
const reportedFacts: ReadonlySet<OrderCommand["type"]> = new Set([
  "RecordStockReserved",
  "RecordStockShortage",
  "RecordReservationRejected",
  "RecordTaskAssigned",
  "RecordShipmentProgress",
  "RecordShipmentException",
  "RecordSettled",
  "ApplyCorrection",
]);

/**
 * Whose order a caller reaches, whatever the gateway in front already checked (ADR 022's
 * twenty-fifth- and twenty-seventh-session addenda; intake's `callerReachesOrder` is the same
 * rule): a customer their own account's order, or a guest order (its id is its receipt); a
 * platform asking for a step — the marketplaces — the orders that came in on its own channel,
 * so no platform records, confirms or cancels another channel's order. Anyone else is
 * answered as for an order nobody placed, before anything about the command is judged, so the
 * refusal tells nothing of the order. Staff are held by their roles and the gateway's store scope.
 */
export function assertCallerReachesOrder(command: OrderCommand, order: Order): void {
  const { actor } = command;
  if (actor.kind === "customer" && (order.customerId === "" || actor.id === order.customerId)) return;
  if (actor.kind === "platform" && (order.channel === marketplaceChannelOf(actor.id) || reportedFacts.has(command.type))) return;
  if (actor.kind === "customer" || actor.kind === "platform") throw new NotFoundError("order.not-found", "order not found");
}
