import { callerHeaders } from "@oms/testing";
import type { ExchangeRecord } from "../invariants/context.ts";
import { expectedRestockDateOf, moveReasonOf, moveTargetOf, restockingReceiptOf, type OrderedLine, type SkuAvailability } from "./exchange-plan.ts";
import { attemptOf, clerk, desk, finance, type DeskSteps } from "./exchange-steps.ts";

/*
 * The exchange desk's steps beyond opening, accepting and shipping (ADR 030's second to fourth
 * addenda, ADR 017's carrier claims): a waiting replacement sent from another store, a store made
 * to run short so that one waits, expected restock dates, a claim from the carrier. Each step is
 * retried through the faults under its ids, as the desk's own steps are.
 */

/**
 * The desk sends the replacement from another store: it looks up which stores have every SKU
 * and moves it to the one with the most to spare, retrying under the same target. A 409 (it is
 * not waiting, reserved meanwhile; that store is short after all) is the warehouse's answer and
 * the replacement ships from where it is. The desk asks for its planned share whatever the list
 * said a moment ago — the harness's chain rarely runs short, so most are answered
 * `replacement.not-awaiting-stock`, which must write nothing.
 */
export async function moveReplacementElsewhere(steps: DeskSteps, record: ExchangeRecord, lines: OrderedLine[], listedAs: string): Promise<void> {
  steps.figures.movesAsked++;
  const availability: SkuAvailability[] = [];
  for (const line of lines) {
    const looked = await steps.until(async () => attemptOf(await steps.intake.get(`/v1/stock/${encodeURIComponent(line.sku)}/availability`, callerHeaders(desk))));
    if (looked.verdict !== "done") {
      record.notMovedBecause = `availability of ${line.sku} not read: ${looked.why}`;
      return steps.countShort(`move not asked: ${looked.why}`);
    }
    availability.push({ sku: line.sku, stores: (looked.body?.stores ?? []) as SkuAvailability["stores"] });
  }
  const target = moveTargetOf(record.storeId, lines, availability);
  if (!target) {
    record.notMovedBecause = "no other store has every line";
    steps.figures.movesRefused["no other store has it"] = (steps.figures.movesRefused["no other store has it"] ?? 0) + 1;
    return;
  }
  const body = { toStoreId: target, reason: moveReasonOf(record.storeId) };
  const moved = await steps.until(async () => attemptOf(await steps.intake.post(`/v1/replacements/${encodeURIComponent(record.caseId)}/move`, body, callerHeaders(desk))));
  if (moved.verdict === "done") {
    record.movedTo = target;
    steps.figures.moved++;
    return;
  }
  const code = String(moved.body?.code ?? "");
  if (code === "replacement.not-awaiting-stock" || code === "replacement.out-of-stock") {
    record.notMovedBecause = `${code} (listed ${listedAs})`;
    steps.figures.movesRefused[code] = (steps.figures.movesRefused[code] ?? 0) + 1;
    return;
  }
  record.notMovedBecause = moved.why;
  steps.countShort(`move refused: ${moved.why}`);
}

/**
 * The order's store runs short of the SKU before the desk accepts the exchange: a clerk counts
 * each of its locations down to what orders hold there (a count below that is refused, and the
 * clerk reads and counts again), so the replacement waits for stock. Once at a time per store
 * and SKU; any other exchange of it goes on as usual. Orders placed there meanwhile wait for the
 * delivery that endShortage books.
 */
export async function runStoreShort(steps: DeskSteps, record: ExchangeRecord, sku: string): Promise<void> {
  const key = `${record.storeId}/${sku}`;
  if (steps.short.has(key)) return;
  steps.short.add(key);
  const store = encodeURIComponent(record.storeId);
  let main = "";
  const counted = await steps.until(async () => {
    const stock = attemptOf(await steps.intake.get(`/v1/stores/${store}/stock?sku=${encodeURIComponent(sku)}`, callerHeaders(clerk)));
    if (stock.verdict !== "done") return stock;
    const levels = ((stock.body?.levels ?? []) as { location: string; onHand: number; reserved: number }[]).filter((l) => l.onHand > l.reserved);
    main ||= [...levels].sort((a, b) => b.onHand - a.onHand)[0]?.location ?? "";
    for (const level of levels) {
      const count = { sku, location: level.location, counted: level.reserved, reason: "Counted: the shelf is empty." };
      const answer = attemptOf(await steps.intake.post(`/v1/stores/${store}/stock-counts`, count, callerHeaders(clerk)), ["stock.count-below-reserved"]);
      if (answer.verdict !== "done") return answer;
    }
    return { verdict: "done", why: "counted" };
  });
  if (counted.verdict !== "done" || main === "") {
    steps.short.delete(key);
    return steps.countShort(`store not run short: ${counted.why}`);
  }
  record.shortAt = { storeId: record.storeId, sku, location: main };
  steps.figures.shortages++;
}

/** The delivery that ends the shortage, booked once under the case's receipt id (it reserves whatever waits there still). */
export async function endShortage(steps: DeskSteps, record: ExchangeRecord): Promise<void> {
  const short = record.shortAt;
  if (!short || short.restocked) return;
  short.restocked = true;
  const receipt = restockingReceiptOf(record.caseId, short.sku, short.location);
  const booked = await steps.until(async () =>
    attemptOf(await steps.intake.post(`/v1/stores/${encodeURIComponent(short.storeId)}/stock-receipts`, receipt, callerHeaders(clerk))),
  );
  steps.short.delete(`${short.storeId}/${short.sku}`);
  if (booked.verdict !== "done") steps.countShort(`shortage not ended: ${booked.why}`);
}

/**
 * The supplier called: the store's clerk records when each SKU of the exchange comes back in
 * (ADR 030, second addendum), the same day on every retry. Told for every planned exchange,
 * waiting or not: a date on stock that is there changes nothing but the stock's view.
 */
export async function recordRestockDates(steps: DeskSteps, record: ExchangeRecord, lines: OrderedLine[]): Promise<void> {
  const date = expectedRestockDateOf(record.orderId, new Date().toISOString().slice(0, 10));
  for (const line of lines) {
    const url = `/v1/stores/${encodeURIComponent(record.storeId)}/stock/${encodeURIComponent(line.sku)}/expected-restock`;
    const meant = { storeId: record.storeId, sku: line.sku, date, answered: false };
    (record.restockDates ??= []).push(meant);
    const told = await steps.until(async () => attemptOf(await steps.intake.request("PUT", url, JSON.stringify({ date }), callerHeaders(clerk))));
    if (told.verdict !== "done") {
      steps.countShort(`restock date not recorded: ${told.why}`);
      continue;
    }
    meant.answered = true;
    steps.figures.restockDates++;
  }
}

/**
 * The parcel came damaged by the courier: the desk resolves the case with cause carrier (no
 * refund: the exchange made it good), files a claim within the order's total, and finance
 * records the carrier's answer. Each step by the same person with the same content, so a retry
 * after a lost answer answers the case as it stands.
 */
export async function claimFromCarrier(steps: DeskSteps, record: ExchangeRecord): Promise<void> {
  const claim = record.claim!;
  const caseUrl = `/v1/after-sales-cases/${encodeURIComponent(record.caseId)}`;
  const stop = (why: string) => {
    claim.leftBecause ??= why;
    steps.countShort(why);
  };
  const resolution = { resolution: "The courier damaged the parcel; the exchange made it good.", cause: "carrier" };
  const resolved = await steps.until(async () => attemptOf(await steps.intake.post(`${caseUrl}/resolution`, resolution, callerHeaders(desk))));
  if (resolved.verdict !== "done") return stop(`case not resolved as the carrier's: ${resolved.why}`);
  const filing = { carrier: claim.carrier, carrierReference: claim.carrierReference, amountMinor: claim.amountMinor };
  const filed = await steps.until(async () => attemptOf(await steps.intake.post(`${caseUrl}/carrier-claim`, filing, callerHeaders(desk))));
  if (filed.verdict !== "done") return stop(`carrier claim not filed: ${filed.why}`);
  claim.filed = true;
  steps.figures.claimsFiled++;
  const [path, answer] =
    claim.answer === "settle" ? ["settlement", { recoveredMinor: claim.recoveredMinor }] : ["rejection", { reason: "The carrier says the parcel left its hands undamaged." }];
  const answered = await steps.until(async () => attemptOf(await steps.intake.post(`${caseUrl}/carrier-claim/${path}`, answer, callerHeaders(finance))));
  if (answered.verdict !== "done") return stop(`carrier claim not answered: ${answered.why}`);
  claim.answered = true;
  if (claim.answer === "settle") steps.figures.claimsSettled++;
  else steps.figures.claimsRejected++;
  await bookCarrierPayments(steps, record);
}

/**
 * The carrier paid (in full or in two parts): finance books each payment against the claim's
 * recovery in billing, under its own reference, so a retry after a lost answer books nothing
 * twice. Billing knows the recovery once it has heard the settlement from the case topic: until
 * then "carrier-recovery.unknown" is asked again. A payment booked in error (the plan says which)
 * is reversed, the same reason making a retry harmless, and booked again under a new reference.
 */
async function bookCarrierPayments(steps: DeskSteps, record: ExchangeRecord): Promise<void> {
  const claim = record.claim!;
  const url = `/v1/carrier-recoveries/${encodeURIComponent(record.caseId)}`;
  const stopped = (why: string) => {
    claim.leftBecause ??= why;
    steps.countShort(why);
  };
  const book = async (receipt: { reference: string; amountMinor: number; booked?: boolean; remittance?: string }) => {
    const remitted = remittanceOf(receipt);
    const [path, body] = remitted ?? [`${url}/receipts`, { amountMinor: receipt.amountMinor, reference: receipt.reference }];
    const booked = await steps.until(async () => attemptOf(await steps.intake.post(path, body, callerHeaders(finance)), ["carrier-recovery.unknown"]));
    if (booked.verdict !== "done") {
      stopped(`carrier payment not booked: ${booked.why}`);
      return false;
    }
    receipt.booked = true;
    steps.figures.carrierReceipts++;
    if (remitted) steps.figures.carrierRemittances++;
    return true;
  };
  // The transfer as a remittance paying this one claim, its allocation booked as receipt `<remittance>#1`.
  const remittanceOf = (receipt: { amountMinor: number; remittance?: string }): [string, object] | undefined =>
    receipt.remittance
      ? [
          "/v1/carrier-remittances",
          { reference: receipt.remittance, carrier: claim.carrier, currency: claim.currency, allocations: [{ caseId: record.caseId, amountMinor: receipt.amountMinor }] },
        ]
      : undefined;
  for (const receipt of [...(claim.receipts ?? [])]) {
    if (!(await book(receipt))) return;
    const reversal = receipt.reversal;
    if (!reversal) continue;
    // A remittance booked in error is reversed whole (ADR 017, twenty-sixth session); a receipt alone, as itself.
    const [path, body] = receipt.remittance
      ? [`/v1/carrier-remittances/${encodeURIComponent(receipt.remittance)}/reversal`, { reason: reversal.reason }]
      : [`${url}/receipt-reversals`, { reference: receipt.reference, reason: reversal.reason }];
    const reversed = await steps.until(async () => attemptOf(await steps.intake.post(path, body, callerHeaders(finance))));
    if (reversed.verdict !== "done") return stopped(`carrier payment not reversed: ${reversed.why}`);
    reversal.reversed = true;
    steps.figures.carrierReversals++;
    if (receipt.remittance) steps.figures.carrierRemittanceReversals++;
    // Listed before it is sent, so a booking whose answer was lost still counts as finance's.
    const again = { reference: reversal.rebookedAs, amountMinor: receipt.amountMinor };
    claim.receipts!.push(again);
    if (!(await book(again))) return;
  }
}
