import { ValidationError } from "@oms/errors";
import type { ChannelAdapter } from "../channel-mapping.ts";
import { minorUnitsOfDecimal } from "../decimal-money.ts";
import { fieldErrorList } from "../field-errors.ts";
import type { OrderSubmission } from "../order-submission.ts";
import { fieldRenamer, marketplaceChannel, storeForDistrict, type MarketplaceOrder } from "./platform-routing.ts";

/** A Pinduoduo order as Pinduoduo pushes it: flat, one item, amounts as decimal yuan text ("199.00"). */
export interface PinduoduoOrder {
  order_sn: string;
  receiver_name: string;
  receiver_phone: string;
  province: string;
  city: string;
  town: string;
  address: string;
  goods_id: string;
  goods_name?: string | undefined;
  goods_count: number;
  goods_price: string;
  pay_amount: string;
  postage: string;
  discount_amount: string;
  confirm_time?: string | undefined;
}

const amountFields = ["goods_price", "pay_amount", "postage", "discount_amount"] as const;

export const pinduoduoAdapter: ChannelAdapter<MarketplaceOrder<PinduoduoOrder>> = {
  channels: [marketplaceChannel("pinduoduo")],
  toSubmission: ({ order, routing }) => {
    const errors = fieldErrorList();
    const minor = Object.fromEntries(
      amountFields.map((field) => {
        const parsed = minorUnitsOfDecimal(order[field]);
        if (!parsed.ok) errors.add(field, parsed.message);
        return [field, parsed.ok ? parsed.minor : 0];
      }),
    ) as Record<(typeof amountFields)[number], number>;
    const storeId = storeForDistrict(routing, order.town);
    if (!storeId) errors.add("town", "no store of ours serves this district for pinduoduo");
    const sku = routing.skuByItemId.get(order.goods_id);
    if (!sku) errors.add("goods_id", "is not an item we sell on pinduoduo");
    if (errors.count > 0) throw new ValidationError(errors.list());
    // Pinduoduo sets confirm_time when the buyer has paid.
    const paid = Boolean(order.confirm_time);
    return {
      channel: marketplaceChannel("pinduoduo"),
      channelOrderId: order.order_sn,
      storeId: storeId!,
      kind: "goods",
      fulfillmentMethod: "ship",
      customer: {
        name: order.receiver_name,
        phone: order.receiver_phone,
        address: { line1: order.address, line2: order.province, city: order.city, district: order.town, country: "CN" },
      },
      lines: [{ sku: sku!, description: order.goods_name, quantity: order.goods_count, unitPriceMinor: minor.goods_price }],
      totals: {
        discountMinor: minor.discount_amount,
        shippingFeeMinor: minor.postage,
        serviceFeeMinor: 0,
        taxMinor: 0,
        grandTotalMinor: minor.pay_amount,
        currency: "CNY",
      },
      paymentMethod: "third-party",
      prepaid: paid,
      confirmedByCustomer: paid,
    } satisfies OrderSubmission;
  },
  confirmedByChannel: (submission) => submission.confirmedByCustomer === true,
  platformFieldOf: fieldRenamer([
    [/^lines\[0\]\.sku$/, "goods_id"],
    [/^lines\[0\]\.quantity$/, "goods_count"],
    [/^lines\[0\]\.unitPriceMinor$/, "goods_price"],
    [/^lines\[0\]\.description$/, "goods_name"],
    [/^totals\.shippingFeeMinor$/, "postage"],
    [/^totals\.discountMinor$/, "discount_amount"],
    [/^totals\.(grandTotalMinor|taxMinor|serviceFeeMinor|currency)$/, "pay_amount"],
    [/^customer\.name$/, "receiver_name"],
    [/^customer\.phone$/, "receiver_phone"],
    [/^customer\.address\.line1$/, "address"],
    [/^customer\.address\.city$/, "city"],
    [/^(customer\.address\.district|storeId|kind|fulfillmentMethod)$/, "town"],
  ]),
};
