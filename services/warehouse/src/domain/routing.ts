import { ValidationError, type FieldError } from "@oms/errors";
import { districtKey, distanceKm, locateDistrict, type GeoPoint } from "./geography.ts";

/**
 * Order routing: which store(s) of a chain serve an online order, by the rules the chain
 * configures (stock less safety stock, service areas, distance to the customer, a daily
 * capacity per store, a priority per store). An order goes to one store when one has it
 * all, is split over stores when the order allows it, or waits in the queue. A store that
 * turns a routed order down is excluded and routing runs again, so each attempt is a call
 * of `routeOrder` whose `considered` list is what the timeline shows.
 *
 * Pure and deterministic: the adapter loads the rules, today's counts and the stock and
 * passes them in; the same input always gives the same stores in the same order.
 */

export interface RoutedLine {
  sku: string;
  quantity: number;
}

export const fulfillmentMethods = ["ship", "pickup"] as const;
export type FulfillmentMethod = (typeof fulfillmentMethods)[number];

export interface OrderToRoute {
  orderId: string;
  /** The customer's district as the order spells it; matched loosely against service areas. */
  district: string;
  fulfillmentMethod: FulfillmentMethod;
  /** For a pickup: the store the customer chose, the only candidate. */
  pickupStoreId?: string;
  lines: RoutedLine[];
  /** Whether the customer accepts several parcels from several stores. */
  splitAllowed: boolean;
  /** Stores that turned this order down before (damaged stock, no staff): never tried again. */
  excludedStoreIds: string[];
}

export interface StoreRoutingRule {
  storeId: string;
  /** 1 is the most preferred. */
  priority: number;
  /** Unknown (not configured): the store's distance is unknown and ranks last within its priority. */
  location?: GeoPoint;
  /** The districts the store delivers to. */
  serviceAreas: string[];
  /** Orders the store can take a day. */
  dailyCapacity: number;
  /**
   * False: the store takes no new orders for now (its published profile, ADR 028). Routing
   * sends it none; a pickup the customer chose there before it stopped is still collected there.
   */
  acceptingOrders: boolean;
  /** Orders already routed to it today. */
  routedToday: number;
}

export interface RoutingRules {
  stores: StoreRoutingRule[];
  /** Where each district is, to measure a store's distance to the customer. */
  districtLocations: Record<string, GeoPoint>;
}

/** Per store, per SKU: on hand − reserved − safety stock, as the books say it now. */
export type StoreAvailability = ReadonlyMap<string, ReadonlyMap<string, number>>;

export interface CandidateVerdict {
  storeId: string;
  outcome: "chosen" | "passed-over";
  /** Why, in words the timeline shows (e.g. "at capacity (40 of 40 today)"). */
  reason: string;
}

export interface StoreAllocation {
  storeId: string;
  lines: RoutedLine[];
}

export type RoutingDecision =
  | { kind: "routed"; allocations: StoreAllocation[]; considered: CandidateVerdict[] }
  | { kind: "queued"; reason: string; considered: CandidateVerdict[] };

/** Decides where an order goes now. Throws a ValidationError naming the field for malformed input. */
export function routeOrder(order: OrderToRoute, rules: RoutingRules, availability: StoreAvailability): RoutingDecision {
  assertRoutable(order, rules);
  const demand = demandPerSku(order.lines);
  return order.fulfillmentMethod === "pickup" ? routePickup(order, rules, availability, demand) : routeShipment(order, rules, availability, demand);
}

/**
 * The stores a ship order to this district could be sent to — taking orders, serving the
 * district and not refused before — whatever their stock and today's count. Only their
 * stock decides where the order goes: the warehouse locks their stock rows, and no other store's.
 */
export function storesServing(district: string, excludedStoreIds: readonly string[], stores: readonly StoreRoutingRule[]): string[] {
  const wanted = districtKey(district);
  return stores
    .filter((s) => s.acceptingOrders && !excludedStoreIds.includes(s.storeId) && s.serviceAreas.some((area) => districtKey(area) === wanted))
    .map((s) => s.storeId);
}

/** SKU → units wanted, one entry per SKU in the order the SKUs first appear (an order may list a SKU twice). */
type Demand = ReadonlyMap<string, number>;

interface Candidate {
  store: StoreRoutingRule;
  /** Undefined when the district's or the store's location is unknown. */
  distanceKm: number | undefined;
  /** What it can promise of each demanded SKU, never negative. */
  stock: ReadonlyMap<string, number>;
}

/** The customer collects at the store they chose: no other store can stand in, so anything missing means waiting. */
function routePickup(order: OrderToRoute, rules: RoutingRules, availability: StoreAvailability, demand: Demand): RoutingDecision {
  const store = rules.stores.find((s) => s.storeId === order.pickupStoreId)!;
  const stock = stockOf(availability, store.storeId, demand);
  const queued = (why: string, reason: string): RoutingDecision => ({
    kind: "queued",
    reason,
    considered: [{ storeId: store.storeId, outcome: "passed-over", reason: why }],
  });
  if (order.excludedStoreIds.includes(store.storeId)) {
    return queued("rejected earlier", "the pickup store rejected it and no other store can serve a pickup there; the customer chooses another store or cancels");
  }
  const full = capacityReason(store);
  if (full) return queued(full, "the pickup store is at capacity today; waits for capacity");
  const short = shortfall(stock, demand);
  if (short) return queued(short, "the pickup store is short of stock; waits for stock");
  return {
    kind: "routed",
    allocations: [{ storeId: store.storeId, lines: linesOf(demand) }],
    considered: [{ storeId: store.storeId, outcome: "chosen", reason: "chosen: the customer collects here" }],
  };
}

function routeShipment(order: OrderToRoute, rules: RoutingRules, availability: StoreAvailability, demand: Demand): RoutingDecision {
  const customerAt = locateDistrict(order.district, rules.districtLocations);
  const ranked = rules.stores
    .map((store): Candidate => ({ store, distanceKm: distanceTo(store, customerAt), stock: stockOf(availability, store.storeId, demand) }))
    .sort(byRank);
  const ineligible = new Map<string, string>();
  for (const candidate of ranked) {
    const why = ineligibility(candidate.store, order);
    if (why) ineligible.set(candidate.store.storeId, why);
  }
  const eligible = ranked.filter((c) => !ineligible.has(c.store.storeId));
  const verdicts = (reasonFor: (candidate: Candidate) => CandidateVerdict): CandidateVerdict[] =>
    ranked.map((c) => {
      const why = ineligible.get(c.store.storeId);
      return why ? { storeId: c.store.storeId, outcome: "passed-over", reason: why } : reasonFor(c);
    });
  const passedOver = (c: Candidate, reason: string): CandidateVerdict => ({ storeId: c.store.storeId, outcome: "passed-over", reason });

  if (eligible.length === 0) {
    return {
      kind: "queued",
      reason: `no store can serve it now: every store rejected it earlier, takes no orders, does not serve ${order.district} or is at capacity`,
      // Every store is ineligible and carries its own reason; the fallback is never used.
      considered: verdicts((c) => passedOver(c, "not eligible")),
    };
  }

  // One parcel from one store beats a split even when a split would come from nearer stores.
  const single = eligible.find((c) => shortfall(c.stock, demand) === undefined);
  if (single) {
    return {
      kind: "routed",
      allocations: [{ storeId: single.store.storeId, lines: linesOf(demand) }],
      considered: verdicts((c) =>
        c === single
          ? { storeId: c.store.storeId, outcome: "chosen", reason: singleChoiceReason(c) }
          : passedOver(c, shortfall(c.stock, demand) ?? `has every line but ranks below ${single.store.storeId}`),
      ),
    };
  }

  const shortEverywhere = (c: Candidate) => passedOver(c, shortfall(c.stock, demand)!);
  if (!coveredTogether(eligible, demand)) {
    return { kind: "queued", reason: "no store can serve it now; waits for stock", considered: verdicts(shortEverywhere) };
  }
  if (!order.splitAllowed) {
    return {
      kind: "queued",
      reason: "no single store has every line and the order may not be split; waits for stock",
      considered: verdicts(shortEverywhere),
    };
  }

  const allocations = assignLines(chooseSplitStores(eligible, demand), demand);
  const total = unitsOf(demand);
  return {
    kind: "routed",
    allocations,
    considered: verdicts((c) => {
      const allocation = allocations.find((a) => a.storeId === c.store.storeId);
      if (!allocation) return passedOver(c, `${shortfall(c.stock, demand)!}; not needed for the split`);
      const units = allocation.lines.reduce((sum, l) => sum + l.quantity, 0);
      return { storeId: c.store.storeId, outcome: "chosen", reason: `chosen for a split: ${units} of ${total} units (${rankText(c)})` };
    }),
  };
}

// Rejected earlier first: the timeline should say the store refused it, not that it is full today.
function ineligibility(store: StoreRoutingRule, order: OrderToRoute): string | undefined {
  if (order.excludedStoreIds.includes(store.storeId)) return "rejected earlier";
  if (!store.acceptingOrders) return "not taking orders";
  const wanted = districtKey(order.district);
  if (!store.serviceAreas.some((area) => districtKey(area) === wanted)) return `does not serve ${order.district}`;
  return capacityReason(store);
}

function capacityReason(store: StoreRoutingRule): string | undefined {
  return store.routedToday >= store.dailyCapacity ? `at capacity (${store.routedToday} of ${store.dailyCapacity} today)` : undefined;
}

// Priority first (the chain's preference), then distance (unknown distances last: a store is not
// excluded for a gap in the configuration), then the store id so that equal stores always rank alike.
function byRank(a: Candidate, b: Candidate): number {
  return (
    a.store.priority - b.store.priority ||
    (a.distanceKm ?? Number.POSITIVE_INFINITY) - (b.distanceKm ?? Number.POSITIVE_INFINITY) ||
    (a.store.storeId < b.store.storeId ? -1 : a.store.storeId > b.store.storeId ? 1 : 0)
  );
}

function distanceTo(store: StoreRoutingRule, customerAt: GeoPoint | undefined): number | undefined {
  return store.location && customerAt ? distanceKm(store.location, customerAt) : undefined;
}

function rankText(c: Candidate): string {
  return `priority ${c.store.priority}, ${c.distanceKm === undefined ? "distance unknown" : `${c.distanceKm.toFixed(1)} km`}`;
}

// The chosen store is the first eligible one with every line, so among its priority it is the
// nearest of those with every line (or the first by store id when distances are unknown).
function singleChoiceReason(c: Candidate): string {
  const { priority } = c.store;
  return c.distanceKm === undefined
    ? `chosen: first of priority ${priority} with every line (distance unknown)`
    : `chosen: nearest of priority ${priority} with every line, ${c.distanceKm.toFixed(1)} km`;
}

/**
 * Greedy set cover: each step takes the store covering the most of what is still missing,
 * so the order leaves in as few parcels as this simple rule finds. Ties go to the better
 * rank (the candidates come ranked and only a strictly larger cover replaces the best).
 * The caller has checked that the eligible stores together cover the order.
 */
function chooseSplitStores(eligible: readonly Candidate[], demand: Demand): Candidate[] {
  const remaining = new Map(demand);
  const chosen: Candidate[] = [];
  while (unitsOf(remaining) > 0) {
    let best: Candidate | undefined;
    let bestUnits = 0;
    for (const candidate of eligible) {
      if (chosen.includes(candidate)) continue;
      const units = coverable(candidate.stock, remaining);
      if (units > bestUnits) [best, bestUnits] = [candidate, units];
    }
    if (!best) throw new Error("routing: the eligible stores were checked to cover the order together");
    chosen.push(best);
    for (const [sku, missing] of remaining) remaining.set(sku, missing - Math.min(missing, best.stock.get(sku) ?? 0));
  }
  return chosen;
}

/**
 * Which chosen store sends what. A line goes whole to the first chosen store that holds all
 * of it, since a line split over parcels is what a customer notices most; only a line no
 * chosen store holds in full is split, in the order the stores were chosen. A store left
 * with nothing to send (others hold its lines in full) drops out of the split.
 */
function assignLines(chosen: readonly Candidate[], demand: Demand): StoreAllocation[] {
  const lines = new Map<string, RoutedLine[]>(chosen.map((c) => [c.store.storeId, []]));
  for (const [sku, quantity] of demand) {
    const whole = chosen.find((c) => (c.stock.get(sku) ?? 0) >= quantity);
    if (whole) {
      lines.get(whole.store.storeId)!.push({ sku, quantity });
      continue;
    }
    let missing = quantity;
    for (const c of chosen) {
      const taken = Math.min(missing, c.stock.get(sku) ?? 0);
      if (taken === 0) continue;
      lines.get(c.store.storeId)!.push({ sku, quantity: taken });
      missing -= taken;
    }
  }
  return chosen.map((c) => ({ storeId: c.store.storeId, lines: lines.get(c.store.storeId)! })).filter((a) => a.lines.length > 0);
}

function coveredTogether(candidates: readonly Candidate[], demand: Demand): boolean {
  return [...demand].every(([sku, quantity]) => candidates.reduce((sum, c) => sum + (c.stock.get(sku) ?? 0), 0) >= quantity);
}

function coverable(stock: ReadonlyMap<string, number>, remaining: Demand): number {
  let units = 0;
  for (const [sku, missing] of remaining) units += Math.min(missing, stock.get(sku) ?? 0);
  return units;
}

/** Undefined when the store has every line in full; otherwise each short line, e.g. "short of VASE (has 1, needs 3)". */
function shortfall(stock: ReadonlyMap<string, number>, demand: Demand): string | undefined {
  const short = [...demand]
    .filter(([sku, quantity]) => (stock.get(sku) ?? 0) < quantity)
    .map(([sku, quantity]) => `short of ${sku} (has ${stock.get(sku) ?? 0}, needs ${quantity})`);
  return short.length > 0 ? short.join("; ") : undefined;
}

// A count can leave the books below what is reserved and safety stock: that is nothing to promise, not a debt.
function stockOf(availability: StoreAvailability, storeId: string, demand: Demand): Map<string, number> {
  const store = availability.get(storeId);
  const stock = new Map<string, number>();
  for (const sku of demand.keys()) {
    const units = store?.get(sku) ?? 0;
    stock.set(sku, Number.isFinite(units) ? Math.max(0, units) : 0);
  }
  return stock;
}

function demandPerSku(lines: readonly RoutedLine[]): Map<string, number> {
  const demand = new Map<string, number>();
  for (const line of lines) demand.set(line.sku, (demand.get(line.sku) ?? 0) + line.quantity);
  return demand;
}

function linesOf(demand: Demand): RoutedLine[] {
  return [...demand].map(([sku, quantity]) => ({ sku, quantity }));
}

function unitsOf(demand: Demand): number {
  let units = 0;
  for (const quantity of demand.values()) units += quantity;
  return units;
}

function assertRoutable(order: OrderToRoute, rules: RoutingRules): void {
  const fields: FieldError[] = [];
  const required = (field: string, value: string | undefined, why = "is required") => {
    if (!value?.trim()) fields.push({ field, message: why });
  };
  required("orderId", order.orderId);
  if (!fulfillmentMethods.includes(order.fulfillmentMethod)) {
    fields.push({ field: "fulfillmentMethod", message: `must be one of ${fulfillmentMethods.join(", ")}, got ${String(order.fulfillmentMethod)}` });
  }
  if (order.fulfillmentMethod === "ship" && !districtKey(order.district ?? "")) {
    fields.push({ field: "district", message: "is required to ship: it decides which stores serve the customer" });
  }
  if (order.fulfillmentMethod === "pickup") {
    required("pickupStoreId", order.pickupStoreId, "is required for a pickup: the customer chooses the store");
    if (order.pickupStoreId?.trim() && !rules.stores.some((s) => s.storeId === order.pickupStoreId)) {
      fields.push({ field: "pickupStoreId", message: `${order.pickupStoreId} is not a store in the chain's routing rules` });
    }
  }
  if (order.lines.length === 0) fields.push({ field: "lines", message: "must not be empty" });
  order.lines.forEach((line, index) => {
    required(`lines[${index}].sku`, line.sku);
    if (!isWhole(line.quantity, 1)) fields.push({ field: `lines[${index}].quantity`, message: `must be a positive whole number, got ${line.quantity}` });
  });
  fields.push(...ruleErrors(rules));
  if (fields.length > 0) throw new ValidationError(fields, undefined, "routing.invalid-request");
}

// The rules come from the chain's configuration: a typo there must name the store and the field, not route oddly.
function ruleErrors(rules: RoutingRules): FieldError[] {
  const fields: FieldError[] = [];
  const seen = new Set<string>();
  rules.stores.forEach((store, index) => {
    const at = `stores[${index}]`;
    if (!store.storeId?.trim()) fields.push({ field: `${at}.storeId`, message: "is required" });
    else if (seen.has(store.storeId)) fields.push({ field: `${at}.storeId`, message: `${store.storeId} is listed twice` });
    seen.add(store.storeId);
    if (!isWhole(store.priority, 1)) fields.push({ field: `${at}.priority`, message: `must be a whole number from 1, got ${store.priority}` });
    if (!isWhole(store.dailyCapacity, 0)) fields.push({ field: `${at}.dailyCapacity`, message: `must be a whole number >= 0, got ${store.dailyCapacity}` });
    if (!isWhole(store.routedToday, 0)) fields.push({ field: `${at}.routedToday`, message: `must be a whole number >= 0, got ${store.routedToday}` });
    if (store.location) fields.push(...pointErrors(`${at}.location`, store.location));
  });
  for (const [district, point] of Object.entries(rules.districtLocations)) fields.push(...pointErrors(`districtLocations.${district}`, point));
  return fields;
}

/** A place's fields checked as routing keeps them (rules read from the chain file or a store's publication). */
export function pointErrors(at: string, point: GeoPoint): FieldError[] {
  const fields: FieldError[] = [];
  if (!(Number.isFinite(point.lat) && Math.abs(point.lat) <= 90)) fields.push({ field: `${at}.lat`, message: `must be a latitude (-90 to 90), got ${point.lat}` });
  if (!(Number.isFinite(point.lon) && Math.abs(point.lon) <= 180)) fields.push({ field: `${at}.lon`, message: `must be a longitude (-180 to 180), got ${point.lon}` });
  return fields;
}

export function isWhole(value: number, minimum: number): boolean {
  return Number.isInteger(value) && value >= minimum;
}
