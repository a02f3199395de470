import { callerHeaders } from "@oms/testing";
import type { JsonClient } from "../../../support/http-client.ts";
import { isSplit, type OrderTracker, type TrackedOrder } from "../../../support/order-tracker.ts";
import type { ExchangeRecord } from "../invariants/context.ts";
import {
  carrierClaimOf,
  claimsFromCarrier,
  exchangeCaseIdOf,
  movesReplacement,
  recordsRestock,
  runsShortFirst,
  storeClerkOf,
  exchangeLinesOf,
  exchangesOrder,
  openedByDesk,
  replacementIntentOf,
  replacementParcelOf,
  returnReceiptOf,
  type LaterStepShares,
  type OrderedLine,
} from "./exchange-plan.ts";
import { claimFromCarrier, endShortage, moveReplacementElsewhere, recordRestockDates, runStoreShort } from "./exchange-later-steps.ts";
import { attemptOf, clerk, desk, replacementOnList, shortKindOf, tryUntilAnswered, type Attempt, type DeskSteps } from "./exchange-steps.ts";

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

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
  /** The carriers' payments finance booked against settled claims in billing. */
  carrierReceipts: number;
  /** Of those, the ones booked in error that finance reversed (and booked again under a new reference). */
  carrierReversals: number;
  /** Of the payments, those booked as a carrier transfer's remittance; the remittances reversed whole. */
  carrierRemittances: number;
  carrierRemittanceReversals: number;
  retries: number;
  /** Exchanges that did not reach their replacement's end, by why (the invariant shows each case's). */
  leftOpen: Record<string, number>;
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
    carrierReceipts: 0,
    carrierReversals: 0,
    carrierRemittances: 0,
    carrierRemittanceReversals: 0,
    retries: 0,
    leftOpen: {},
  };
  /** What the later steps (exchange-later-steps.ts) work with: this desk's API, retrying, figures and shortages. */
  readonly #steps: DeskSteps;
  #pending = 0;
  #stopped = false;

  constructor(intake: JsonClient, tracker: OrderTracker, options: ExchangeDeskOptions) {
    this.#intake = intake;
    this.#tracker = tracker;
    this.#options = options;
    this.#steps = { intake, until: (attempt) => this.#until(attempt), figures: this.#figures, countShort: (why) => this.#countShort(why), short: new Set<string>() };
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
        currency: order.currency,
        ...(claim.answer.kind === "settle" && claim.answer.receipts.length > 0 ? { receipts: claim.answer.receipts.map((r) => ({ ...r })) } : {}),
      };
    }
    this.#records.set(caseId, record);
    this.#figures.asked++;
    this.#pending++;
    void this.#exchange(record, placed, lines)
      .catch((error: unknown) => this.#leaveOpen(record, `the desk's own error: ${(error as Error).message}`))
      .finally(() => endShortage(this.#steps, record))
      .finally(() => this.#pending--);
  }

  async #exchange(record: ExchangeRecord, placed: PlacedOrder, lines: OrderedLine[]): Promise<void> {
    const [min, max] = this.#options.thinkMs;
    await sleep(min + Math.random() * (max - min));
    const opened = await this.#until(() => this.#openAndAccept(record, placed, lines));
    if (opened.verdict !== "done") return this.#leaveOpen(record, `exchange not accepted: ${opened.why}`);
    this.#figures.accepted++;
    if (recordsRestock(record.orderId, this.#options.restockShare ?? 0)) await recordRestockDates(this.#steps, record, lines);
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
    if (record.claim) await claimFromCarrier(this.#steps, record);
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
    if (record.moveIntended && !record.shortAt && runsShortFirst(record.orderId, this.#options.shortageShare ?? 0)) await runStoreShort(this.#steps, record, lines[0]!.sku);
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
        const { attempt: list, listed } = await replacementOnList(this.#intake, from, record.caseId, who);
        if (list.verdict !== "done") return list;
        if (!listed) return { verdict: "again", why: `not on the list of ${from} yet` };
        if (!decided) {
          decided = true;
          await moveReplacementElsewhere(this.#steps, record, lines, listed.status);
          // Moved or answered, the store's shortage has served: its delivery comes.
          await endShortage(this.#steps, record);
          if (record.movedTo) return { verdict: "again", why: "moved: the new store's clerk ships it" };
        }
      }
      sent = true;
      // The clerk's steps in their order (ADR 030's seventh addendum): the pick (which reserves one still waiting when the stock is
      // there), the pack, the shipment. Each answers as recorded when taken again, so a retry walks them all again.
      const path = `/v1/replacements/${encodeURIComponent(record.caseId)}`;
      const tolerated = record.movedTo ? ["caller.out-of-store-scope"] : [];
      let shipment = attemptOf(await this.#intake.post(`${path}/pick`, {}, callerHeaders(who)), tolerated);
      if (shipment.verdict === "done") shipment = attemptOf(await this.#intake.post(`${path}/pack`, { parcels: 1 }, callerHeaders(who)), tolerated);
      if (shipment.verdict === "done") shipment = attemptOf(await this.#intake.post(`${path}/shipment`, replacementParcelOf(record.caseId), callerHeaders(who)), tolerated);
      if (shipment.verdict === "done" && record.movedTo) this.#figures.shippedFromNewStore++;
      if (!shipment.why.endsWith("replacement.out-of-stock")) return shipment;
      shortSince ??= Date.now();
      return Date.now() - shortSince < this.#options.awaitStockMs ? { ...shipment, verdict: "again" } : { ...shipment, why: `awaiting stock: ${String(shipment.body?.detail ?? shipment.why)}` };
    });
  }

  async #callOff(record: ExchangeRecord): Promise<Attempt> {
    const reason = { reason: "The customer took a refund instead." };
    return this.#until(async () =>
      attemptOf(await this.#intake.post(`/v1/replacements/${encodeURIComponent(record.caseId)}/call-off`, reason, callerHeaders(desk)), ["replacement.not-found"]),
    );
  }

  #until(attempt: () => Promise<Attempt>): Promise<Attempt> {
    return tryUntilAnswered(attempt, { budgetMs: this.#options.retryBudgetMs, maxDelayMs: 5_000, stopped: () => this.#stopped, onRetry: () => this.#figures.retries++ });
  }

  /** The exchange stopped short of its replacement's end: the invariant holds a replacement still open to this reason. */
  #leaveOpen(record: ExchangeRecord, why: string): void {
    record.leftOpenBecause ??= why;
    this.#countShort(why);
  }

  #countShort(why: string): void {
    const kind = shortKindOf(why);
    this.#figures.leftOpen[kind] = (this.#figures.leftOpen[kind] ?? 0) + 1;
  }
}
