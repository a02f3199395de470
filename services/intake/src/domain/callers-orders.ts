import type { Actor } from "@oms/contracts";
import { ValidationError, type FieldError } from "@oms/errors";
import type { StoreScope } from "@oms/identity";
import { marketplaceChannel } from "./marketplaces/platform-routing.ts";
import { customersOwnChannels, isStoreChannel } from "./order-submission.ts";

/**
 * Whose orders a customer or a marketplace reaches, and whom and on which channel a caller's
 * order may name (ADR 022's twenty-fifth- and twenty-sixth-session addenda): the rules the role
 * table (permissions.ts) cannot say, since they compare the caller with the order.
 */

/** The id of a caller who did not say who they are (a customer ordering without an account). */
export const anonymousCustomerId = "anonymous";

/**
 * Whether the caller is the order's own customer, as intake's record of the order names
 * them: what lets a customer see the order's pick-up code and read its invoices. An order
 * that names its customer is that customer's only (not an anonymous caller's holding the
 * order id, nor another customer's). A guest order names no one: its customer has the order
 * id as their receipt and nothing else to be known by, so a customer caller holding it is
 * taken for them. Staff never are, even under the same id: the pick-up code proves at the
 * counter that the customer is there, so the staff who take it there are never shown it.
 */
export function customerOwnsOrder(caller: Actor, orderCustomerId: string): boolean {
  if (caller.kind !== "customer") return false;
  if (orderCustomerId === "") return true;
  return caller.id !== anonymousCustomerId && caller.id === orderCustomerId;
}

/** What the gateway knows of an order to tell whose it is: intake's record of it. */
export interface OrderOwnership {
  /** The customer the order names; "" for a guest order. */
  customerId: string;
  /** The channel it came in on: a marketplace's orders name the marketplace (`marketplace:tmall`). */
  channel: string;
}

/**
 * Whether the caller may reach an order through the routes a customer or a marketplace takes
 * by its id (reading it, confirming, cancelling, accepting or refusing its delivery, answering
 * its shortage): a customer their own (customerOwnsOrder), a marketplace only the orders that
 * came in on it (it cancels and confirms for its own customers, no one else's). Staff are held
 * by the role table and the store scope, not by this.
 */
export function callerReachesOrder(caller: Actor, order: OrderOwnership): boolean {
  if (caller.kind === "customer") return customerOwnsOrder(caller, order.customerId);
  if (caller.kind === "platform") return marketplaceChannel(caller.id) === order.channel;
  return true;
}

/** An order holding a channel order id or an Idempotency-Key: whose it is, and the store it was taken for. */
export interface HeldOrder extends OrderOwnership {
  storeId: string;
}

/**
 * Whether a refused repeat — another order under a channel order id or an Idempotency-Key already
 * taken — may say which order holds it. A guest order's id is its receipt: whoever holds it reads,
 * confirms and cancels the order (callerReachesOrder), with no token at all. A channel's own order
 * ids are often a counter (`WEB-000123`), so naming the holder to whoever sends other content under
 * one would hand out receipts. It is named to staff whose scope holds the order's store (who take
 * orders for customers and find the one already taken; staff held to other stores would get a
 * receipt their scope never lets them reach — the id alone reaches a guest order, token or not),
 * to a marketplace for its own channel's, and to a customer for their own account's order; a guest
 * order's is never named to a customer again, its customer having had it in the answer that took it.
 */
export function refusalNamesHolder(caller: Actor, callerScope: StoreScope, holder: HeldOrder): boolean {
  if (caller.kind === "staff") return callerScope.kind === "chain" || callerScope.stores.has(holder.storeId);
  if (caller.kind === "platform") return callerReachesOrder(caller, holder);
  return holder.customerId !== "" && customerOwnsOrder(caller, holder.customerId);
}

/**
 * Callers submit orders as themselves. A signed-in customer's order names no customer (a guest
 * order) or them, never another account — whose list it would join, whose order it could then be
 * read and answered as, and on whose credit it could be bought. A marketplace's token submits on
 * its own channel only: an order on another's would be that channel's, reached and pushed to as
 * theirs. Staff name the customer and channel they take the order for. The anonymous caller (the
 * guest checkout) names no account — an order naming one could be bought on that account's
 * credit by anyone — and no marketplace, whose orders come with the marketplace's token.
 * A customer's own order, signed in or not, is on an online channel (customersOwnChannels): the
 * store channels are the counter's and the order takers' (ADR 022, twenty-sixth-session addendum).
 */
export function assertOrdersAsThemself(caller: Actor, submission: { channel: string; customerId?: string | undefined }): void {
  if (caller.kind === "platform" && submission.channel !== marketplaceChannel(caller.id)) {
    throw new ValidationError([{ field: "channel", message: `a marketplace submits orders on its own channel only (${marketplaceChannel(caller.id)})` }]);
  }
  if (caller.kind !== "customer") return;
  const errors = [...customerAccountErrors(caller, submission.customerId), ...customerChannelErrors(submission.channel)];
  if (errors.length > 0) throw new ValidationError(errors);
}

function customerAccountErrors(caller: Actor, customerId: string | undefined): FieldError[] {
  if (customerId === undefined || customerId === "") return [];
  if (caller.id === anonymousCustomerId) {
    return [{ field: "customer.customerId", message: "an order placed without signing in names no customer account: sign in as the customer, or leave it out" }];
  }
  if (customerId === caller.id) return [];
  return [{ field: "customer.customerId", message: "a signed-in customer orders as themself: leave it out or give your own customer id" }];
}

/**
 * The channel of a customer's own order. A store channel's order is the store's: taken at the
 * counter or by an order taker, who confirms it with the customer and answers for what it says;
 * one a customer claims would skip what an online order goes through and be counted as the store's.
 */
function customerChannelErrors(channel: string): FieldError[] {
  if (channel.startsWith(marketplaceChannel(""))) return [{ field: "channel", message: "a marketplace's orders come with the marketplace's own token" }];
  if (isStoreChannel(channel)) {
    return [{ field: "channel", message: `${channel} orders are taken by the store's staff; a customer's own order is placed on ${customersOwnChannels.join(", ")}` }];
  }
  return [];
}
