import type { events } from "@oms/contracts";
import { directChannels, type OrderSubmission } from "./order-submission.ts";
import { pinduoduoAdapter } from "./marketplaces/pinduoduo.ts";
import { tmallAdapter } from "./marketplaces/tmall.ts";
import type { CheckedOrder } from "./pre-check.ts";

/**
 * How orders of one kind of channel come into intake. The chain's own channels (website,
 * app, POS, phone, e-mail and social desks) already send an OrderSubmission; marketplace
 * adapters (domain/marketplaces) translate their platform's payload and register here, and
 * the rest of intake (pre-check, acceptance, the canonical order) stays the same.
 */
export interface ChannelAdapter<Payload = OrderSubmission> {
  /** The channels this adapter speaks for, as the canonical order spells them. */
  readonly channels: readonly string[];
  toSubmission(payload: Payload): OrderSubmission;
  /**
   * True when the channel already confirmed the order with the customer (a paid checkout,
   * a customer who confirmed to the order taker), so fulfillment does not ask again.
   */
  confirmedByChannel(submission: OrderSubmission): boolean;
  /**
   * The channel's own name of a field of the submission (`lines[0].sku` → `orders[0].outer_iid`),
   * so the pre-check's refusals name what the sender sent. Absent: the names are the same.
   */
  platformFieldOf?(field: string): string;
}

export const directChannelAdapter: ChannelAdapter<OrderSubmission> = {
  channels: directChannels,
  toSubmission: (payload) => payload,
  confirmedByChannel: (submission) => submission.confirmedByCustomer === true,
};

const adapters: readonly ChannelAdapter<never>[] = [directChannelAdapter, tmallAdapter, pinduoduoAdapter];

/** The adapter of a channel, or undefined for a channel intake does not take orders from. */
export function channelAdapterOf(channel: string): ChannelAdapter<never> | undefined {
  return adapters.find((adapter) => adapter.channels.includes(channel));
}

export interface AcceptanceIdentity {
  orderId: string;
  orderedAt: Date;
  confirmedByChannel: boolean;
}

/** The canonical order fulfillment works on: every channel's order in one shape, priced as the pre-check priced it. */
export function toCanonicalOrder(checked: CheckedOrder, identity: AcceptanceIdentity): events.CanonicalOrder {
  const { submission } = checked;
  const { customer } = submission;
  return {
    orderId: identity.orderId,
    storeId: checked.store.storeId,
    channel: submission.channel,
    channelOrderId: submission.channelOrderId,
    kind: submission.kind,
    fulfillmentMethod: submission.fulfillmentMethod,
    region: checked.region,
    customer: {
      customerId: customer.customerId ?? "",
      name: customer.name.trim(),
      phone: customer.phone?.trim() ?? "",
      email: customer.email?.trim() ?? "",
      address: {
        line1: customer.address.line1,
        line2: customer.address.line2 ?? "",
        city: customer.address.city,
        district: customer.address.district,
        postalCode: customer.address.postalCode ?? "",
        country: customer.address.country,
      },
      vip: customer.vip ?? false,
    },
    lines: checked.lines.map((line) => ({
      lineId: line.lineId,
      sku: line.sku,
      description: line.description,
      quantity: line.quantity,
      unitPriceMinor: line.unitPriceMinor,
      lineTotalMinor: line.lineTotalMinor,
      specialRequests: line.specialRequests,
    })),
    totals: { ...checked.totals },
    paymentMethod: submission.paymentMethod,
    prepaid: submission.prepaid,
    orderedAt: identity.orderedAt.toISOString(),
    requestedFrom: submission.requestedFrom ?? "",
    requestedUntil: submission.requestedUntil ?? "",
    tags: checked.tags,
    notes: submission.notes?.trim() ?? "",
    confirmedByChannel: identity.confirmedByChannel,
    // Lines ship separately when the customer accepted it or the store's rule allows it.
    partialShipmentAllowed: submission.partialShipment === true || checked.store.partialShipments === true,
    // Sealed when the order is accepted (app/order-contacts.ts): the checked order is still whole here.
    sealedContact: Buffer.alloc(0),
  };
}
