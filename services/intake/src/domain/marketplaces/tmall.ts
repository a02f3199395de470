import { ValidationError } from "@oms/errors";
import type { ChannelAdapter } from "../channel-mapping.ts";
import { fieldErrorList } from "../field-errors.ts";
import type { OrderSubmission } from "../order-submission.ts";
import { fieldRenamer, marketplaceChannel, storeForDistrict, type MarketplaceOrder } from "./platform-routing.ts";

/** A Tmall order as Tmall pushes it: nested, amounts in integer fen. */
export interface TmallOrder {
  tid: string;
  buyer: {
    nick: string;
    mobile: string;
    receiver: { state: string; city: string; district: string; address: string };
  };
  orders: { outer_iid: string; title?: string | undefined; num: number; price_fen: number }[];
  payment: { total_fee_fen: number; post_fee_fen: number; discount_fee_fen: number; paid_at?: string | undefined };
}

export const tmallAdapter: ChannelAdapter<MarketplaceOrder<TmallOrder>> = {
  channels: [marketplaceChannel("tmall")],
  toSubmission: ({ order, routing }) => {
    const errors = fieldErrorList();
    const { receiver } = order.buyer;
    const storeId = storeForDistrict(routing, receiver.district);
    if (!storeId) errors.add("buyer.receiver.district", "no store of ours serves this district for tmall");
    const lines = order.orders.map((line, index) => {
      const sku = routing.skuByItemId.get(line.outer_iid);
      if (!sku) errors.add(`orders[${index}].outer_iid`, "is not an item we sell on tmall");
      return { sku: sku ?? "", description: line.title, quantity: line.num, unitPriceMinor: line.price_fen };
    });
    if (errors.count > 0) throw new ValidationError(errors.list());
    const paid = Boolean(order.payment.paid_at);
    return {
      channel: marketplaceChannel("tmall"),
      channelOrderId: order.tid,
      storeId: storeId!,
      kind: "goods",
      fulfillmentMethod: "ship",
      customer: {
        name: order.buyer.nick,
        phone: order.buyer.mobile,
        address: { line1: receiver.address, line2: receiver.state, city: receiver.city, district: receiver.district, country: "CN" },
      },
      lines,
      totals: {
        discountMinor: order.payment.discount_fee_fen,
        shippingFeeMinor: order.payment.post_fee_fen,
        serviceFeeMinor: 0,
        // Tmall's prices include tax: nothing is added on top.
        taxMinor: 0,
        grandTotalMinor: order.payment.total_fee_fen,
        currency: "CNY",
      },
      paymentMethod: "third-party",
      prepaid: paid,
      confirmedByCustomer: paid,
    } satisfies OrderSubmission;
  },
  // A paid Tmall order was confirmed by the buyer at checkout.
  confirmedByChannel: (submission) => submission.confirmedByCustomer === true,
  platformFieldOf: fieldRenamer([
    [/^lines\[(\d+)\]\.sku$/, "orders[$1].outer_iid"],
    [/^lines\[(\d+)\]\.quantity$/, "orders[$1].num"],
    [/^lines\[(\d+)\]\.unitPriceMinor$/, "orders[$1].price_fen"],
    [/^lines\[(\d+)\]\.description$/, "orders[$1].title"],
    [/^lines$/, "orders"],
    [/^totals\.shippingFeeMinor$/, "payment.post_fee_fen"],
    [/^totals\.discountMinor$/, "payment.discount_fee_fen"],
    [/^totals\.(grandTotalMinor|taxMinor|serviceFeeMinor|currency)$/, "payment.total_fee_fen"],
    [/^customer\.name$/, "buyer.nick"],
    [/^customer\.phone$/, "buyer.mobile"],
    [/^customer\.address\.line1$/, "buyer.receiver.address"],
    [/^customer\.address\.city$/, "buyer.receiver.city"],
    [/^(customer\.address\.district|storeId|kind|fulfillmentMethod)$/, "buyer.receiver.district"],
  ]),
};
