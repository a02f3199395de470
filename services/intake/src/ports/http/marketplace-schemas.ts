import { z } from "zod";
import { minor, optionalText, text } from "./schema-primitives.ts";

/**
 * The marketplaces' payloads as they send them. Not strict: platforms add fields without
 * asking, and what intake does not read it ignores. Field errors name the platform's fields.
 */

// Platforms send ids as numbers or as text; ids are text here (a 19-digit number is not safe as a double).
const platformId = z.union([text(64), z.int().min(0)]).transform(String);
const fen = minor(10_000_000_000);
const yuan = text(20).meta({ description: 'Decimal yuan, e.g. "199.00"; at most 2 decimals.' });

export const TmallOrderSchema = z
  .object({
    tid: platformId.meta({ description: "Tmall's order id: the dedup key." }),
    buyer: z.object({
      nick: text(200),
      mobile: text(40),
      receiver: z.object({ state: text(100), city: text(100), district: text(100), address: text(300) }),
    }),
    orders: z
      .array(z.object({ outer_iid: platformId, title: optionalText(500), num: z.int().min(1).max(10_000), price_fen: fen }))
      .min(1)
      .max(200),
    payment: z.object({ total_fee_fen: fen, post_fee_fen: fen, discount_fee_fen: fen, paid_at: optionalText(40) }),
  })
  .meta({ title: "TmallOrder", description: "A Tmall order as Tmall pushes it; amounts in integer fen." });

export const PinduoduoOrderSchema = z
  .object({
    order_sn: text(64).meta({ description: "Pinduoduo's order id: the dedup key." }),
    receiver_name: text(200),
    receiver_phone: text(40),
    province: text(100),
    city: text(100),
    town: text(100),
    address: text(300),
    goods_id: platformId,
    goods_name: optionalText(500),
    goods_count: z.int().min(1).max(10_000),
    goods_price: yuan,
    pay_amount: yuan,
    postage: yuan,
    discount_amount: yuan,
    confirm_time: optionalText(40).meta({ description: "Set once the buyer paid." }),
  })
  .meta({ title: "PinduoduoOrder", description: "A Pinduoduo order as Pinduoduo pushes it; amounts as decimal yuan text." });
