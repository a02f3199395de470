import { NotFoundError } from "@oms/errors";
import type { OrderCommand } from "./commands.ts";
import type { Order } from "./order.ts";

/** The channel of a marketplace's orders, as the canonical order spells it (events' common.proto: `marketplace:<platform>`). */
const marketplaceChannelOf = (platform: string) => `marketplace:${platform}`;

/**
 * Whose order a caller reaches, whatever the gateway in front already checked (ADR 022's
 * twenty-fifth- and twenty-seventh-session addenda; intake's `callerReachesOrder` is the same
 * rule): a customer their own account's order, or a guest order (its id is its receipt); a
 * platform — the only platforms there are, marketplaces — the orders that came in on its own
 * channel, so no platform records, confirms or cancels another channel's order. Anyone else is
 * answered as for an order nobody placed, before anything about the command is judged, so the
 * refusal tells nothing of the order. Staff are held by their roles and the gateway's store scope.
 */
export function assertCallerReachesOrder(actor: OrderCommand["actor"], order: Order): void {
  if (actor.kind === "customer" && (order.customerId === "" || actor.id === order.customerId)) return;
  if (actor.kind === "platform" && order.channel === marketplaceChannelOf(actor.id)) return;
  if (actor.kind === "customer" || actor.kind === "platform") throw new NotFoundError("order.not-found", "order not found");
}
