import { createHash } from "node:crypto";
import type { DemoChain, DemoStore } from "@oms/service-kit";

/**
 * Valid orders for a chain, in a realistic mix: every channel, every store, goods
 * (shipped or picked up) and service orders, a few hot items taking most lines, some
 * customers who confirm later, some who pay on delivery and, when asked for, business
 * customers buying on credit. Each order passes intake's
 * pre-check: only what the store sells and has staff for, in a district it serves, at
 * list prices, with totals computed by the store's rules, below its manual-review
 * threshold. Deterministic for a seed, so runs are comparable.
 */
export interface OrderMix {
  /** Share of service (on-site) orders among all orders. */
  service: number;
  /** Share of goods orders the customer picks up at the store (where a counter clerk works). */
  pickup: number;
  /** Share of orders the customer confirms later (the simulator confirms them). */
  unconfirmed: number;
  /** Share of orders paid on delivery (cash or card) instead of prepaid. */
  payOnDelivery: number;
  /** Share of goods lines that take one of the few hot items. */
  hot: number;
  /**
   * Share of ship orders that no single store can fill, from customers who accept several
   * parcels: split over two stores (needs a chain with two such stores, as the bench's).
   */
  split: number;
  /**
   * Share of goods orders bought on credit (`on-credit`, not prepaid) by one of the
   * `businessCustomers`, whose credit billing decides by their assessment (ADR 019). 0 by
   * default: the benchmark's mix and figures stay as they were; the fault harness sets it.
   */
  onCredit: number;
  channels: Record<string, number>;
}

/** The business customers who buy on credit, as orders name them: a handful, so each runs up what they owe. */
export const businessCustomers: readonly string[] = Array.from({ length: 6 }, (_, i) => `bench-b2b-${i + 1}`);

export const defaultMix: OrderMix = {
  service: 0.15,
  pickup: 0.1,
  unconfirmed: 0.1,
  payOnDelivery: 0.2,
  hot: 0.6,
  split: 0.05,
  onCredit: 0,
  channels: { website: 0.35, app: 0.3, pos: 0.15, phone: 0.08, email: 0.04, social: 0.08 },
};

/** `service=0.2,pickup=0,unconfirmed=0.1,...` over the defaults; channel weights as `channel.app=0.5`. */
export function parseMix(text: string | undefined): OrderMix {
  const mix: OrderMix = { ...defaultMix, channels: { ...defaultMix.channels } };
  if (!text) return mix;
  for (const part of text.split(",").map((p) => p.trim()).filter(Boolean)) {
    const [key = "", raw = ""] = part.split("=");
    const value = Number(raw);
    if (!Number.isFinite(value) || value < 0) throw new Error(`--mix: ${part} is not key=<number ≥ 0>`);
    if (key.startsWith("channel.")) mix.channels[key.slice(8)] = value;
    else if (key === "service" || key === "pickup" || key === "unconfirmed" || key === "payOnDelivery" || key === "hot" || key === "split" || key === "onCredit") mix[key] = Math.min(1, value);
    else throw new Error(`--mix: unknown key ${key} (service, pickup, unconfirmed, payOnDelivery, hot, split, onCredit, channel.<name>)`);
  }
  return mix;
}

export interface OrderSubmissionBody {
  channel: string;
  channelOrderId: string;
  storeId: string;
  kind: "goods" | "service";
  fulfillmentMethod: "ship" | "pickup" | "on-site";
  customer: { customerId?: string; name: string; phone: string; address: { line1: string; city: string; district: string; country: string } };
  lines: { sku: string; quantity: number; unitPriceMinor: number }[];
  totals: { discountMinor: number; shippingFeeMinor: number; serviceFeeMinor: number; taxMinor: number; grandTotalMinor: number; currency: string };
  paymentMethod: string;
  prepaid: boolean;
  requestedFrom?: string;
  requestedUntil?: string;
  confirmedByCustomer: boolean;
  partialShipment?: boolean;
}

/** Two stores delivering to a common district, each holding a good the other does not. */
interface SplitOffer {
  stores: [DemoStore, DemoStore];
  district: string;
  skus: [string, string];
}

interface StoreOffer {
  store: DemoStore;
  goods: string[];
  hot: string[];
  /** Districts a rider of the store covers (ship orders go there). */
  deliveryDistricts: string[];
  /** Service codes with the districts where someone with the skills works. */
  services: { sku: string; districts: string[] }[];
  pickup: boolean;
}

/** A small fast PRNG (mulberry32): the same seed gives the same orders. */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export class OrderFactory {
  readonly #chain: DemoChain;
  readonly #offers: StoreOffer[];
  readonly #split: SplitOffer | undefined;
  readonly #prices: Map<string, number>;
  readonly #mix: OrderMix;
  readonly #random: () => number;
  readonly #runId: string;
  readonly #prefix: string;
  #sequence = 0;

  /** Channel order ids are `<prefix>-<runId>-<n>`. */
  constructor(chain: DemoChain, mix: OrderMix, runId: string, seed = 42, prefix = "BENCH") {
    this.#prefix = prefix;
    this.#chain = chain;
    this.#mix = mix;
    this.#runId = runId;
    this.#random = seededRandom(seed);
    this.#prices = new Map(chain.priceList.map((item) => [item.sku, item.unitPriceMinor]));
    this.#offers = chain.stores.map((store) => offerOf(chain, store)).filter((o) => o.goods.length > 0 || o.services.length > 0);
    this.#split = splitOfferOf(this.#offers);
    if (this.#offers.length === 0) throw new Error("the chain has no store with stock or service staff to order from");
  }

  /** The next order of the mix. */
  next(): OrderSubmissionBody {
    const r = this.#random;
    const sequence = ++this.#sequence;
    const offer = this.#offers[Math.floor(r() * this.#offers.length)]!;
    const wantsService = r() < this.#mix.service && offer.services.length > 0;
    const kind = wantsService || offer.goods.length === 0 ? "service" : "goods";
    const method = kind === "service" ? "on-site" : offer.pickup && r() < this.#mix.pickup ? "pickup" : "ship";
    const channel = weightedPick(this.#mix.channels, r);
    let district: string;
    let lines: OrderSubmissionBody["lines"];
    if (kind === "service") {
      const service = offer.services[Math.floor(r() * offer.services.length)]!;
      district = service.districts[Math.floor(r() * service.districts.length)]!;
      lines = [{ sku: service.sku, quantity: 1, unitPriceMinor: this.#prices.get(service.sku)! }];
    } else {
      const districts = offer.deliveryDistricts.length > 0 ? offer.deliveryDistricts : offer.store.serviceAreas;
      district = districts[Math.floor(r() * districts.length)]!;
      lines = this.#goodsLines(offer);
    }
    if (kind === "goods" && method === "ship" && this.#split && this.#mix.split > 0 && r() < this.#mix.split) return this.#splitOrder(this.#split, channel, sequence);
    const payOnDelivery = r() < this.#mix.payOnDelivery;
    const order: OrderSubmissionBody = {
      channel,
      channelOrderId: `${this.#prefix}-${this.#runId}-${sequence}`,
      storeId: offer.store.storeId,
      kind,
      fulfillmentMethod: method,
      customer: {
        // Named, so that they can be shown their pick-up code (a guest is shown it by their channel only).
        customerId: `bench-c${sequence % 10_000}`,
        name: `Bench Customer ${sequence % 10_000}`,
        phone: `+86 138 ${String(1000 + (sequence % 9000)).padStart(4, "0")} ${String(sequence % 10_000).padStart(4, "0")}`,
        address: { line1: `${1 + (sequence % 300)} Bench Road`, city: offer.store.city, district, country: "CN" },
      },
      lines,
      totals: totalsOf(offer.store, method, lines, this.#chain.currency),
      // Paying later: cash or card at the door (the rider collects), or a bank transfer after acceptance (finance confirms it).
      paymentMethod: payOnDelivery ? weightedPick({ cash: 0.4, "card-on-delivery": 0.3, "bank-transfer": 0.3 }, r) : r() < 0.8 ? "third-party" : "bank-transfer",
      prepaid: !payOnDelivery,
      confirmedByCustomer: r() >= this.#mix.unconfirmed,
    };
    if (kind === "goods" && this.#mix.onCredit > 0) this.#buyOnCreditMaybe(order, sequence);
    if (kind === "service") {
      const from = new Date(Date.now() + 86_400_000 + Math.floor(r() * 6) * 3_600_000);
      order.requestedFrom = from.toISOString();
      order.requestedUntil = new Date(from.getTime() + 3 * 3_600_000).toISOString();
    }
    return order;
  }

  /**
   * Makes a share of goods orders a business customer's, bought on credit. Drawn from the
   * run and the sequence rather than the seeded stream, which then gives every order the
   * same store, lines and the rest whatever the share: runs with and without credit orders
   * differ only in those orders' buyer and payment.
   */
  #buyOnCreditMaybe(order: OrderSubmissionBody, sequence: number): void {
    const key = `${this.#runId}/${sequence}`;
    if (drawOf(key, "on credit") >= this.#mix.onCredit) return;
    const n = Math.floor(drawOf(key, "business customer") * businessCustomers.length);
    order.customer = { ...order.customer, customerId: businessCustomers[n]!, name: `Bench Business ${n + 1}` };
    order.paymentMethod = "on-credit";
    order.prepaid = false;
  }

  /** One of each store's own goods, prepaid, for a customer both deliver to: no store can fill it alone. */
  #splitOrder(split: SplitOffer, channel: string, sequence: number): OrderSubmissionBody {
    const store = split.stores[sequence % 2]!;
    const lines = split.skus.map((sku) => ({ sku, quantity: 1, unitPriceMinor: this.#prices.get(sku)! }));
    return {
      channel,
      channelOrderId: `${this.#prefix}-${this.#runId}-${sequence}`,
      storeId: store.storeId,
      kind: "goods",
      fulfillmentMethod: "ship",
      customer: {
        // Named, so that they can be shown their pick-up code (a guest is shown it by their channel only).
        customerId: `bench-c${sequence % 10_000}`,
        name: `Bench Customer ${sequence % 10_000}`,
        phone: `+86 138 ${String(1000 + (sequence % 9000)).padStart(4, "0")} ${String(sequence % 10_000).padStart(4, "0")}`,
        address: { line1: `${1 + (sequence % 300)} Bench Road`, city: store.city, district: split.district, country: "CN" },
      },
      lines,
      totals: totalsOf(store, "ship", lines, this.#chain.currency),
      paymentMethod: "third-party",
      prepaid: true,
      confirmedByCustomer: true,
      partialShipment: true,
    };
  }

  #goodsLines(offer: StoreOffer): OrderSubmissionBody["lines"] {
    const r = this.#random;
    const count = 1 + Math.floor(r() * 3);
    const chosen = new Map<string, number>();
    for (let i = 0; i < count; i++) {
      const pool = offer.hot.length > 0 && r() < this.#mix.hot ? offer.hot : offer.goods;
      const sku = pool[Math.floor(r() * pool.length)]!;
      chosen.set(sku, (chosen.get(sku) ?? 0) + 1 + Math.floor(r() * 2));
    }
    let lines = [...chosen].map(([sku, quantity]) => ({ sku, quantity, unitPriceMinor: this.#prices.get(sku)! }));
    // Stay below the manual-review threshold: a review is a person's decision the simulator does not play.
    while (lines.length > 1 && totalsOf(offer.store, "ship", lines).grandTotalMinor >= offer.store.reviewThresholdMinor) lines = lines.slice(1);
    if (totalsOf(offer.store, "ship", lines).grandTotalMinor >= offer.store.reviewThresholdMinor) lines = [{ ...lines[0]!, quantity: 1 }];
    return lines;
  }

  get chain(): DemoChain {
    return this.#chain;
  }
}

function offerOf(chain: DemoChain, store: DemoStore): StoreOffer {
  const staff = chain.staff.filter((s) => s.storeId === store.storeId);
  const skilled = (skill: string) => staff.filter((s) => s.skills.some((k) => k.skill === skill));
  const served = (districts: string[]) => store.serviceAreas.filter((area) => districts.includes(area));
  const riders = skilled("delivery");
  const deliveryDistricts = store.orderKinds.includes("goods") && store.fulfillmentMethods.includes("ship") ? served(riders.flatMap((s) => s.regions)) : [];
  const inStock = chain.stock.filter((line) => line.storeId === store.storeId && line.onHand > line.safetyStock).map((line) => line.sku);
  const goods = chain.priceList.filter((item) => item.kind === "goods" && inStock.includes(item.sku)).map((item) => item.sku);
  const services = store.orderKinds.includes("service") && store.fulfillmentMethods.includes("on-site")
    ? chain.priceList
        .filter((item) => item.kind === "service")
        .map((item) => {
          const able = staff.filter((s) => (item.skills ?? []).every((skill) => s.skills.some((k) => k.skill === skill)));
          return { sku: item.sku, districts: served(able.flatMap((s) => s.regions)) };
        })
        .filter((s) => s.districts.length > 0)
    : [];
  const pickup = store.fulfillmentMethods.includes("pickup") && skilled("counter").length > 0;
  return {
    store,
    goods: deliveryDistricts.length > 0 || pickup ? goods : [],
    hot: goods.slice(0, Math.max(1, Math.ceil(goods.length / 5))),
    deliveryDistricts,
    services,
    pickup,
  };
}

function splitOfferOf(offers: readonly StoreOffer[]): SplitOffer | undefined {
  for (const a of offers) {
    for (const b of offers) {
      if (a.store.storeId >= b.store.storeId) continue;
      const district = a.deliveryDistricts.find((d) => b.deliveryDistricts.includes(d));
      const onlyA = a.goods.find((sku) => !b.goods.includes(sku));
      const onlyB = b.goods.find((sku) => !a.goods.includes(sku));
      if (district && onlyA && onlyB) return { stores: [a.store, b.store], district, skus: [onlyA, onlyB] };
    }
  }
  return undefined;
}

/** The store's rules, as intake recomputes them: shipping unless free from a threshold, tax half up. */
export function totalsOf(
  store: DemoStore,
  method: string,
  lines: { quantity: number; unitPriceMinor: number }[],
  currency = "CNY",
): OrderSubmissionBody["totals"] {
  const linesMinor = lines.reduce((sum, line) => sum + line.quantity * line.unitPriceMinor, 0);
  const shippingFeeMinor = method !== "ship" || linesMinor >= store.freeShippingFromMinor ? 0 : store.shippingFeeMinor;
  const taxMinor = Number((BigInt(linesMinor) * BigInt(store.taxRateBasisPoints) + 5_000n) / 10_000n);
  return { discountMinor: 0, shippingFeeMinor, serviceFeeMinor: 0, taxMinor, grandTotalMinor: linesMinor + shippingFeeMinor + taxMinor, currency };
}

/** A fraction in [0, 1) drawn from `key` for `salt`: the same key draws the same, each salt apart. */
function drawOf(key: string, salt: string): number {
  return createHash("sha256").update(`${salt}:${key}`).digest().readUInt32BE(0) / 2 ** 32;
}

function weightedPick(weights: Record<string, number>, random: () => number): string {
  const entries = Object.entries(weights).filter(([, w]) => w > 0);
  const total = entries.reduce((sum, [, w]) => sum + w, 0);
  let point = random() * total;
  for (const [key, weight] of entries) {
    point -= weight;
    if (point <= 0) return key;
  }
  return entries.at(-1)![0];
}
