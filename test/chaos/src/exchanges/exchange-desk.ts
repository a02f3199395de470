import { callerHeaders } from "@oms/testing";
import type { JsonClient, JsonResponse } from "../../../support/http-client.ts";
import { isSplit, type OrderTracker, type TrackedOrder } from "../../../support/order-tracker.ts";
import type { ExchangeRecord } from "../invariants/context.ts";
import {
  carrierClaimOf,
  claimsFromCarrier,
  exchangeCaseIdOf,
  expectedRestockDateOf,
  moveReasonOf,
  moveTargetOf,
  movesReplacement,
  recordsRestock,
  restockingReceiptOf,
  runsShortFirst,
  storeClerkOf,
  exchangeLinesOf,
  exchangesOrder,
  openedByDesk,
  replacementIntentOf,
  replacementParcelOf,
  returnReceiptOf,
  verdictOf,
  type AnswerVerdict,
  type LaterStepShares,
  type OrderedLine,
  type SkuAvailability,
} from "./exchange-plan.ts";

/** Who exchanges how much: `share` of delivered goods orders; `callOffShare` of their replacements called off by the desk. */
export interface ExchangeSettings extends Partial<LaterStepShares> {
  share: number;
  callOffShare: number;
}

export interface ExchangeDeskOptions extends ExchangeSettings {
  /** How long one step keeps retrying through a fault. */
  retryBudgetMs: number;
  /** How long the clerk keeps trying to ship a replacement the store is short of (goods-in may bring it). */
  awaitStockMs: number;
  thinkMs: [number, number];
}

/** What the load placed, as the customer knows it: who they are and the goods (the order's view lists no lines). */
export interface PlacedOrder {
  customerId: string;
  lines: readonly OrderedLine[];
}

export interface ExchangeFigures {
  asked: number;
  openedByCustomer: number;
  openedByDesk: number;
  accepted: number;
  shipped: number;
  calledOff: number;
  goodsBack: number;
  /** Moves the desk asked for (a waiting replacement sent from another store), made, and answered 409 (by code). */
  movesAsked: number;
  moved: number;
  movesRefused: Record<string, number>;
  /** Stores made to run short of an exchange's SKU before its acceptance, so its replacement waits and the move is real. */
  shortages: number;
  /** Shipped by a clerk of the store the desk moved it to. */
  shippedFromNewStore: number;
  /** Expected restock dates the clerk recorded, each answered by the warehouse. */
  restockDates: number;
  /** Cases resolved as the carrier's damage and claimed from it; the claims settled or rejected. */
  claimsFiled: number;
  claimsSettled: number;
  claimsRejected: number;
  retries: number;
  /** Exchanges that did not reach their replacement's end, by why (the invariant shows each case's). */
  leftOpen: Record<string, number>;
}

interface Attempt {
  verdict: AnswerVerdict;
  why: string;
  body?: Record<string, unknown>;
}

const desk = "staff:chaos-desk:customer-service";
const clerk = "staff:chaos-clerk:warehouse-clerk";
const finance = "staff:chaos-finance:finance";
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** An answer as an attempt's outcome: its verdict and, for the report, its status and problem code. */
function attemptOf(answer: JsonResponse, notYet: readonly string[] = []): Attempt {
  const body = (typeof answer.body === "object" && answer.body !== null ? answer.body : {}) as Record<string, unknown>;
  const code = typeof body.code === "string" ? body.code : undefined;
  const verdict = verdictOf({ status: answer.status, code, retryAfter: answer.headers["retry-after"] !== undefined }, notYet);
  return { verdict, why: `${answer.status}${code ? ` ${code}` : ""}`, body };
}

/**
 * The after-sales desk and the store's clerk working exchanges through the faults, through
 * intake's public API (ADR 030): when a followed goods order is delivered, a share of its
 * customers ask to exchange some of its goods (online, or by phone through the desk: every guest,
 * who has no account to open a case with, and some others); the desk accepts; the clerk ships the replacement
 * once the store's list shows it — or the desk calls it off — and books the exchanged goods
 * coming back (ADR 021). Every step is retried under its ids until answered, and a retry after
 * a lost answer takes the case as it then stands. What each exchange came to is kept for the
 * invariant checker, with why when it stopped short.
 */
export class ExchangeDesk {
  readonly #intake: JsonClient;
  readonly #options: ExchangeDeskOptions;
  readonly #placed = new Map<string, PlacedOrder>();
  readonly #tracker: OrderTracker;
  readonly #records = new Map<string, ExchangeRecord>();
  readonly #figures: ExchangeFigures = {
    asked: 0,
    openedByCustomer: 0,
    openedByDesk: 0,
    accepted: 0,
    shipped: 0,
    calledOff: 0,
    goodsBack: 0,
    movesAsked: 0,
    moved: 0,
    movesRefused: {},
    shortages: 0,
    shippedFromNewStore: 0,
    restockDates: 0,
    claimsFiled: 0,
    claimsSettled: 0,
    claimsRejected: 0,
    retries: 0,
    leftOpen: {},
  };
  /** Store/SKU pairs the harness holds short right now: one exchange at a time each. */
  readonly #short = new Set<string>();
  #pending = 0;
  #stopped = false;

  constructor(intake: JsonClient, tracker: OrderTracker, options: ExchangeDeskOptions) {
    this.#intake = intake;
    this.#tracker = tracker;
    this.#options = options;
    tracker.onStatus(({ order, status }) => {
      if (status === "delivered") this.#consider(order);
    });
  }

  /** An order the load placed and intake accepted: its customer may exchange once it is delivered. */
  follow(orderId: string, placed: PlacedOrder): void {
    this.#placed.set(orderId, placed);
    const order = this.#tracker.orders.get(orderId);
    if (order?.reachedAt.has("delivered")) this.#consider(order);
  }

  get pending(): number {
    return this.#pending;
  }

  /** Each exchange asked for, by case id, with what the desk meant and why it stopped short. */
  exchanges(): ReadonlyMap<string, ExchangeRecord> {
    return this.#records;
  }

  figures(): ExchangeFigures {
    return structuredClone(this.#figures);
  }

  stop(): void {
    this.#stopped = true;
  }

  #consider(order: TrackedOrder): void {
    const placed = this.#placed.get(order.orderId);
    const caseId = exchangeCaseIdOf(order.orderId);
    if (this.#stopped || !placed || this.#records.has(caseId)) return;
    // A split order's goods left from two stores; its replacement would be promised at the order's store only (ADR 030).
    if (order.kind !== "goods" || isSplit(order) || !exchangesOrder(order.orderId, this.#options.share)) return;
    const lines = exchangeLinesOf(placed.lines);
    if (lines.length === 0) return;
    const intent = replacementIntentOf(order.orderId, this.#options.callOffShare);
    const record: ExchangeRecord = { orderId: order.orderId, caseId, storeId: "", intent };
    // Only a replacement to ship can be moved; a claim needs the order's total to be bound by.
    if (intent === "ship" && movesReplacement(order.orderId, this.#options.moveShare ?? 0)) record.moveIntended = true;
    const claim = claimsFromCarrier(order.orderId, this.#options.claimShare ?? 0) ? carrierClaimOf(order.orderId, order.grandTotalMinor) : undefined;
    if (claim) {
      record.claim = {
        carrier: claim.carrier,
        carrierReference: claim.carrierReference,
        amountMinor: claim.amountMinor,
        answer: claim.answer.kind,
        recoveredMinor: claim.answer.kind === "settle" ? claim.answer.recoveredMinor : 0,
      };
    }
    this.#records.set(caseId, record);
    this.#figures.asked++;
    this.#pending++;
    void this.#exchange(record, placed, lines)
      .catch((error: unknown) => this.#leaveOpen(record, `the desk's own error: ${(error as Error).message}`))
      .finally(() => this.#endShortage(record))
      .finally(() => this.#pending--);
  }

  async #exchange(record: ExchangeRecord, placed: PlacedOrder, lines: OrderedLine[]): Promise<void> {
    const [min, max] = this.#options.thinkMs;
    await sleep(min + Math.random() * (max - min));
    const opened = await this.#until(() => this.#openAndAccept(record, placed, lines));
    if (opened.verdict !== "done") return this.#leaveOpen(record, `exchange not accepted: ${opened.why}`);
    this.#figures.accepted++;
    if (recordsRestock(record.orderId, this.#options.restockShare ?? 0)) await this.#recordRestock(record, lines);
    const replaced = await (record.intent === "ship" ? this.#ship(record, lines) : this.#callOff(record));
    if (replaced.verdict !== "done") this.#leaveOpen(record, `replacement not ${record.intent === "ship" ? "shipped" : "called off"}: ${replaced.why}`);
    else if (record.intent === "ship") this.#figures.shipped++;
    else this.#figures.calledOff++;
    // The customer sends the exchanged goods back either way; the clerk books them by the case id on the label.
    const back = await this.#until(async () =>
      attemptOf(await this.#intake.post(`/v1/returns/${encodeURIComponent(record.caseId)}/receipts`, returnReceiptOf(record.caseId, lines), callerHeaders(clerk)), ["return.not-expected"]),
    );
    if (back.verdict === "done") this.#figures.goodsBack++;
    else this.#countShort(`goods back not booked: ${back.why}`);
    if (record.claim) await this.#claimFromCarrier(record);
  }

  /** Opened under its id (a retry answers the case as it stands), then accepted unless it already is. */
  async #openAndAccept(record: ExchangeRecord, placed: PlacedOrder, lines: OrderedLine[]): Promise<Attempt> {
    // A guest has no account a case could be answered to, and some customers call: the desk opens those.
    const byCustomer = !openedByDesk(record.orderId, placed.customerId);
    const ask = { caseId: record.caseId, kind: "exchange", channel: byCustomer ? "online" : "phone", description: "Wrong colour: wanted the other one.", lines };
    const opening = attemptOf(
      await this.#intake.post(`/v1/orders/${record.orderId}/after-sales-cases`, ask, callerHeaders(byCustomer ? `customer:${placed.customerId}` : desk)),
      ["after-sales.not-delivered-yet"],
    );
    if (opening.verdict !== "done") return opening;
    // The case names the order's store, where the replacement leaves from; the store the load sent it to may have routed it on.
    record.storeId = String(opening.body?.storeId ?? "");
    if (!record.opened) {
      record.opened = true;
      if (byCustomer) this.#figures.openedByCustomer++;
      else this.#figures.openedByDesk++;
    }
    const status = opening.body?.status;
    if (status === "accepted" || status === "resolved") return opening;
    if (status !== "open") return { verdict: "refused", why: `the case is ${String(status)}: ${String(opening.body?.policyNote ?? "")}` };
    if (record.moveIntended && !record.shortAt && runsShortFirst(record.orderId, this.#options.shortageShare ?? 0)) await this.#runShort(record, lines[0]!.sku);
    const caseUrl = `/v1/after-sales-cases/${encodeURIComponent(record.caseId)}`;
    return attemptOf(await this.#intake.post(`${caseUrl}/acceptance`, { assigneeStaffId: "chaos-desk", note: "courier swaps it" }, callerHeaders(desk)));
  }

  /**
   * The clerk ships what the store's list shows; a parcel sent before whose answer was lost is
   * sent again as it was (it answers the replacement as it stands, though the list no longer
   * shows it). Short of stock, the clerk tries again while goods-in may bring it, then leaves it.
   * For its planned share the desk first sends one from another store that has the goods (ADR
   * 030, third addendum), and then a clerk of that store ships it: the shipment route holds a
   * store-scoped clerk to the store it ships from, which after-sales learns a moment after the
   * move (403 until then: tried again).
   */
  async #ship(record: ExchangeRecord, lines: OrderedLine[]): Promise<Attempt> {
    let sent = false;
    let shortSince: number | undefined;
    let decided = !record.moveIntended;
    return this.#until(async () => {
      const from = record.movedTo ?? record.storeId;
      const who = record.movedTo ? storeClerkOf(record.movedTo) : clerk;
      if (!sent) {
        const list = attemptOf(await this.#intake.get(`/v1/stores/${encodeURIComponent(from)}/replacements?limit=500`, callerHeaders(who)));
        if (list.verdict !== "done") return list;
        const listed = ((list.body?.replacements ?? []) as { caseId: string; status: string }[]).find((r) => r.caseId === record.caseId);
        if (!listed) return { verdict: "again", why: `not on the list of ${from} yet` };
        if (!decided) {
          decided = true;
          await this.#move(record, lines, listed.status);
          // Moved or answered, the store's shortage has served: its delivery comes.
          await this.#endShortage(record);
          if (record.movedTo) return { verdict: "again", why: "moved: the new store's clerk ships it" };
        }
      }
      sent = true;
      const shipment = attemptOf(
        await this.#intake.post(`/v1/replacements/${encodeURIComponent(record.caseId)}/shipment`, replacementParcelOf(record.caseId), callerHeaders(who)),
        record.movedTo ? ["caller.out-of-store-scope"] : [],
      );
      if (shipment.verdict === "done" && record.movedTo) this.#figures.shippedFromNewStore++;
      if (!shipment.why.endsWith("replacement.out-of-stock")) return shipment;
      shortSince ??= Date.now();
      return Date.now() - shortSince < this.#options.awaitStockMs ? { ...shipment, verdict: "again" } : { ...shipment, why: `awaiting stock: ${String(shipment.body?.detail ?? shipment.why)}` };
    });
  }

  /**
   * The desk sends the replacement from another store: it looks up which stores have every SKU
   * and moves it to the one with the most to spare, retrying under the same target. A 409 (it is
   * not waiting, reserved meanwhile; that store is short after all) is the warehouse's answer and
   * the replacement ships from where it is. The desk asks for its planned share whatever the list
   * said a moment ago — the harness's chain rarely runs short, so most are answered
   * `replacement.not-awaiting-stock`, which must write nothing.
   */
  async #move(record: ExchangeRecord, lines: OrderedLine[], listedAs: string): Promise<void> {
    this.#figures.movesAsked++;
    const availability: SkuAvailability[] = [];
    for (const line of lines) {
      const looked = await this.#until(async () => attemptOf(await this.#intake.get(`/v1/stock/${encodeURIComponent(line.sku)}/availability`, callerHeaders(desk))));
      if (looked.verdict !== "done") {
        record.notMovedBecause = `availability of ${line.sku} not read: ${looked.why}`;
        return this.#countShort(`move not asked: ${looked.why}`);
      }
      availability.push({ sku: line.sku, stores: (looked.body?.stores ?? []) as SkuAvailability["stores"] });
    }
    const target = moveTargetOf(record.storeId, lines, availability);
    if (!target) {
      record.notMovedBecause = "no other store has every line";
      this.#figures.movesRefused["no other store has it"] = (this.#figures.movesRefused["no other store has it"] ?? 0) + 1;
      return;
    }
    const body = { toStoreId: target, reason: moveReasonOf(record.storeId) };
    const moved = await this.#until(async () => attemptOf(await this.#intake.post(`/v1/replacements/${encodeURIComponent(record.caseId)}/move`, body, callerHeaders(desk))));
    if (moved.verdict === "done") {
      record.movedTo = target;
      this.#figures.moved++;
      return;
    }
    const code = String(moved.body?.code ?? "");
    if (code === "replacement.not-awaiting-stock" || code === "replacement.out-of-stock") {
      record.notMovedBecause = `${code} (listed ${listedAs})`;
      this.#figures.movesRefused[code] = (this.#figures.movesRefused[code] ?? 0) + 1;
      return;
    }
    record.notMovedBecause = moved.why;
    this.#countShort(`move refused: ${moved.why}`);
  }

  /**
   * The order's store runs short of the SKU before the desk accepts the exchange: a clerk counts
   * each of its locations down to what orders hold there (a count below that is refused, and the
   * clerk reads and counts again), so the replacement waits for stock. Once at a time per store
   * and SKU; any other exchange of it goes on as usual. Orders placed there meanwhile wait for the
   * delivery that #endShortage books.
   */
  async #runShort(record: ExchangeRecord, sku: string): Promise<void> {
    const key = `${record.storeId}/${sku}`;
    if (this.#short.has(key)) return;
    this.#short.add(key);
    const store = encodeURIComponent(record.storeId);
    let main = "";
    const counted = await this.#until(async () => {
      const stock = attemptOf(await this.#intake.get(`/v1/stores/${store}/stock?sku=${encodeURIComponent(sku)}`, callerHeaders(clerk)));
      if (stock.verdict !== "done") return stock;
      const levels = ((stock.body?.levels ?? []) as { location: string; onHand: number; reserved: number }[]).filter((l) => l.onHand > l.reserved);
      main ||= [...levels].sort((a, b) => b.onHand - a.onHand)[0]?.location ?? "";
      for (const level of levels) {
        const count = { sku, location: level.location, counted: level.reserved, reason: "Counted: the shelf is empty." };
        const answer = attemptOf(await this.#intake.post(`/v1/stores/${store}/stock-counts`, count, callerHeaders(clerk)), ["stock.count-below-reserved"]);
        if (answer.verdict !== "done") return answer;
      }
      return { verdict: "done", why: "counted" };
    });
    if (counted.verdict !== "done" || main === "") {
      this.#short.delete(key);
      return this.#countShort(`store not run short: ${counted.why}`);
    }
    record.shortAt = { storeId: record.storeId, sku, location: main };
    this.#figures.shortages++;
  }

  /** The delivery that ends the shortage, booked once under the case's receipt id (it reserves whatever waits there still). */
  async #endShortage(record: ExchangeRecord): Promise<void> {
    const short = record.shortAt;
    if (!short || short.restocked) return;
    short.restocked = true;
    const receipt = restockingReceiptOf(record.caseId, short.sku, short.location);
    const booked = await this.#until(async () =>
      attemptOf(await this.#intake.post(`/v1/stores/${encodeURIComponent(short.storeId)}/stock-receipts`, receipt, callerHeaders(clerk))),
    );
    this.#short.delete(`${short.storeId}/${short.sku}`);
    if (booked.verdict !== "done") this.#countShort(`shortage not ended: ${booked.why}`);
  }

  /**
   * The supplier called: the store's clerk records when each SKU of the exchange comes back in
   * (ADR 030, second addendum), the same day on every retry. Told for every planned exchange,
   * waiting or not: a date on stock that is there changes nothing but the stock's view.
   */
  async #recordRestock(record: ExchangeRecord, lines: OrderedLine[]): Promise<void> {
    const date = expectedRestockDateOf(record.orderId, new Date().toISOString().slice(0, 10));
    for (const line of lines) {
      const url = `/v1/stores/${encodeURIComponent(record.storeId)}/stock/${encodeURIComponent(line.sku)}/expected-restock`;
      const meant = { storeId: record.storeId, sku: line.sku, date, answered: false };
      (record.restockDates ??= []).push(meant);
      const told = await this.#until(async () => attemptOf(await this.#intake.request("PUT", url, JSON.stringify({ date }), callerHeaders(clerk))));
      if (told.verdict !== "done") {
        this.#countShort(`restock date not recorded: ${told.why}`);
        continue;
      }
      meant.answered = true;
      this.#figures.restockDates++;
    }
  }

  /**
   * The parcel came damaged by the courier: the desk resolves the case with cause carrier (no
   * refund: the exchange made it good), files a claim within the order's total, and finance
   * records the carrier's answer. Each step by the same person with the same content, so a retry
   * after a lost answer answers the case as it stands.
   */
  async #claimFromCarrier(record: ExchangeRecord): Promise<void> {
    const claim = record.claim!;
    const caseUrl = `/v1/after-sales-cases/${encodeURIComponent(record.caseId)}`;
    const stop = (why: string) => {
      claim.leftBecause ??= why;
      this.#countShort(why);
    };
    const resolution = { resolution: "The courier damaged the parcel; the exchange made it good.", cause: "carrier" };
    const resolved = await this.#until(async () => attemptOf(await this.#intake.post(`${caseUrl}/resolution`, resolution, callerHeaders(desk))));
    if (resolved.verdict !== "done") return stop(`case not resolved as the carrier's: ${resolved.why}`);
    const filing = { carrier: claim.carrier, carrierReference: claim.carrierReference, amountMinor: claim.amountMinor };
    const filed = await this.#until(async () => attemptOf(await this.#intake.post(`${caseUrl}/carrier-claim`, filing, callerHeaders(desk))));
    if (filed.verdict !== "done") return stop(`carrier claim not filed: ${filed.why}`);
    claim.filed = true;
    this.#figures.claimsFiled++;
    const [path, answer] =
      claim.answer === "settle" ? ["settlement", { recoveredMinor: claim.recoveredMinor }] : ["rejection", { reason: "The carrier says the parcel left its hands undamaged." }];
    const answered = await this.#until(async () => attemptOf(await this.#intake.post(`${caseUrl}/carrier-claim/${path}`, answer, callerHeaders(finance))));
    if (answered.verdict !== "done") return stop(`carrier claim not answered: ${answered.why}`);
    claim.answered = true;
    if (claim.answer === "settle") this.#figures.claimsSettled++;
    else this.#figures.claimsRejected++;
  }

  async #callOff(record: ExchangeRecord): Promise<Attempt> {
    const reason = { reason: "The customer took a refund instead." };
    return this.#until(async () =>
      attemptOf(await this.#intake.post(`/v1/replacements/${encodeURIComponent(record.caseId)}/call-off`, reason, callerHeaders(desk)), ["replacement.not-found"]),
    );
  }

  /** Tries until an answer that is not "again" (no answer at all is "again": the gateway may be down), or the budget runs out. */
  async #until(attempt: () => Promise<Attempt>): Promise<Attempt> {
    const deadline = Date.now() + this.#options.retryBudgetMs;
    let delay = 200;
    for (;;) {
      const outcome = await attempt().catch((error: unknown): Attempt => ({ verdict: "again", why: (error as Error).message }));
      if (outcome.verdict !== "again") return outcome;
      if (this.#stopped) return { verdict: "refused", why: `stopped while ${outcome.why}` };
      if (Date.now() + delay > deadline) return { verdict: "refused", why: `gave up after ${this.#options.retryBudgetMs / 1000} s: ${outcome.why}` };
      this.#figures.retries++;
      await sleep(delay);
      delay = Math.min(delay * 2, 5_000);
    }
  }

  /** The exchange stopped short of its replacement's end: the invariant holds a replacement still open to this reason. */
  #leaveOpen(record: ExchangeRecord, why: string): void {
    record.leftOpenBecause ??= why;
    this.#countShort(why);
  }

  #countShort(why: string): void {
    const kind = why.replace(/[0-9a-f]{8}-[0-9a-f-]{27}/gi, "<id>").replace(/\d+/g, "N").slice(0, 120);
    this.#figures.leftOpen[kind] = (this.#figures.leftOpen[kind] ?? 0) + 1;
  }
}
