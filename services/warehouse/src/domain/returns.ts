import { IllegalStateError, NotFoundError, ValidationError, type FieldError } from "@oms/errors";

/**
 * Goods coming back to the store from accepted after-sales returns and exchanges (ADR 021).
 * After-sales accepts the case; the warehouse then expects its goods at the order's store
 * until a clerk has received every unit, or the after-sales desk calls off what is still
 * outstanding (the goods will not come). Each unit received is inspected: resellable ones go
 * back on hand (available to promise again), damaged or unsellable ones are written off with
 * their cause and never reach the shelves. Pure: the adapter locks the return and passes it in.
 */

export const returnKinds = ["return", "exchange"] as const;
export type ReturnKind = (typeof returnKinds)[number];
export const writeOffConditions = ["damaged", "unsellable"] as const;
export type WriteOffCondition = (typeof writeOffConditions)[number];

/** One SKU of an expected return: what the case named, and what came back of it so far. */
export interface ExpectedReturnLine {
  sku: string;
  expected: number;
  restocked: number;
  writtenOff: number;
}

export interface ExpectedReturn {
  caseId: string;
  orderId: string;
  storeId: string;
  kind: ReturnKind;
  lines: ExpectedReturnLine[];
  expectedSince: Date;
  /** The receipts booked for it, in order. */
  receiptIds: string[];
  /** Set once the after-sales desk said the outstanding goods will not come: off the receiving list. */
  calledOff?: ReturnCallOffRecord;
}

/** Who called a return off, when and why: kept on the return, shown with it. */
export interface ReturnCallOffRecord {
  at: Date;
  /** "staff:<id>", as a receipt's clerk is kept. */
  by: string;
  reason: string;
}

export type ExpectedReturnStatus = "expected" | "partly-received" | "received" | "called-off";

export interface ReturnWriteOff {
  quantity: number;
  condition: WriteOffCondition;
  cause: string;
}

/** A line of a returned parcel as the clerk inspected it. */
export interface ReturnLineInspection {
  sku: string;
  /** Units fit to sell again: back on hand at `location`. */
  resellable: number;
  location: string;
  writeOffs: ReturnWriteOff[];
}

/** A clerk's receipt of (part of) a case's goods, under the clerk's own id (ADR 015). */
export interface ReturnReceipt {
  caseId: string;
  receiptId: string;
  lines: ReturnLineInspection[];
}

/** An accepted case as after-sales announces it (CaseAccepted, with the case's kind and goods). */
export interface AcceptedCase {
  caseId: string;
  orderId: string;
  storeId: string;
  kind: string;
  lines: readonly { sku: string; quantity: number }[];
  acceptedAt: Date;
}

export type ReturnReceiptDecision = { kind: "repeat" } | { kind: "book"; after: ExpectedReturn; restocked: number; writtenOff: number };

const maxIdLength = 100;
const maxCauseLength = 500;
const maxCodeLength = 64;

export const outstandingOf = (line: ExpectedReturnLine): number => line.expected - line.restocked - line.writtenOff;
export const arrivedOf = (line: ReturnLineInspection): number => line.resellable + line.writeOffs.reduce((sum, w) => sum + w.quantity, 0);
export const writtenOffOf = (line: ReturnLineInspection): number => line.writeOffs.reduce((sum, w) => sum + w.quantity, 0);

/**
 * Received once every unit is back, even units that came after the return was called off
 * (the books follow the goods); otherwise called off, if it was, or how far it got.
 */
export function statusOf(expected: ExpectedReturn): ExpectedReturnStatus {
  if (expected.lines.every((line) => outstandingOf(line) === 0)) return "received";
  if (expected.calledOff) return "called-off";
  return expected.lines.some((line) => line.restocked + line.writtenOff > 0) ? "partly-received" : "expected";
}

/**
 * The goods an accepted case sends back to the store, or none: only returns and exchanges
 * bring goods back (a repair's visit, a complaint's answer do not). A SKU named twice on
 * the case is expected once with both quantities.
 */
export function expectedReturnOf(accepted: AcceptedCase): ExpectedReturn | undefined {
  if (!(returnKinds as readonly string[]).includes(accepted.kind)) return undefined;
  const bySku = new Map<string, number>();
  for (const line of accepted.lines) if (line.quantity > 0) bySku.set(line.sku, (bySku.get(line.sku) ?? 0) + line.quantity);
  if (bySku.size === 0) return undefined;
  return {
    caseId: accepted.caseId,
    orderId: accepted.orderId,
    storeId: accepted.storeId,
    kind: accepted.kind as ReturnKind,
    lines: [...bySku].map(([sku, expected]) => ({ sku, expected, restocked: 0, writtenOff: 0 })),
    expectedSince: accepted.acceptedAt,
    receiptIds: [],
  };
}

/** A receipt or a call-off naming a case the store expects nothing back for. */
export function returnNotExpected(caseId: string): NotFoundError {
  return new NotFoundError("return.not-expected", `no goods are expected back for case ${caseId}: only an accepted return or exchange sends goods back (its acceptance may take a moment to arrive)`);
}

/** The receipt's fields checked and trimmed, every wrong one named; nothing about the case yet. */
export function assertReturnReceipt(receipt: ReturnReceipt): ReturnReceipt {
  const fields: FieldError[] = [];
  const caseId = receipt.caseId.trim();
  const receiptId = receipt.receiptId.trim();
  if (!caseId) fields.push({ field: "caseId", message: "is required" });
  if (!receiptId) fields.push({ field: "receiptId", message: "is required: the return parcel's label or note, so that a receipt sent twice is booked once" });
  else if (receiptId.length > maxIdLength) fields.push({ field: "receiptId", message: `must be at most ${maxIdLength} characters` });
  if (receipt.lines.length === 0) fields.push({ field: "lines", message: "must name at least one SKU that came back" });
  const seen = new Set<string>();
  const lines = receipt.lines.map((line, i) => {
    const at = `lines[${i}]`;
    const sku = line.sku.trim();
    const location = line.location.trim();
    if (!sku) fields.push({ field: `${at}.sku`, message: "is required" });
    else if (seen.has(sku)) fields.push({ field: `${at}.sku`, message: `${sku} is named twice; give each SKU one line` });
    seen.add(sku);
    if (!isCount(line.resellable, 0)) fields.push({ field: `${at}.resellable`, message: `must be a whole number >= 0, got ${line.resellable}` });
    if (line.resellable > 0 && !location) fields.push({ field: `${at}.location`, message: "is required: where the resellable units are shelved" });
    else if (location.length > maxCodeLength) fields.push({ field: `${at}.location`, message: `must be at most ${maxCodeLength} characters` });
    const writeOffs = line.writeOffs.map((writeOff, j) => {
      const where = `${at}.writeOffs[${j}]`;
      const cause = writeOff.cause.trim();
      if (!isCount(writeOff.quantity, 1)) fields.push({ field: `${where}.quantity`, message: `must be a whole number >= 1, got ${writeOff.quantity}` });
      if (!(writeOffConditions as readonly string[]).includes(writeOff.condition)) fields.push({ field: `${where}.condition`, message: `must be one of ${writeOffConditions.join(", ")}` });
      if (!cause) fields.push({ field: `${where}.cause`, message: "is required: what is wrong with them (kept with the write-off)" });
      else if (cause.length > maxCauseLength) fields.push({ field: `${where}.cause`, message: `must be at most ${maxCauseLength} characters` });
      return { quantity: writeOff.quantity, condition: writeOff.condition, cause };
    });
    const inspected = { sku, resellable: line.resellable, location: line.resellable > 0 ? location : "", writeOffs };
    if (isCount(line.resellable, 0) && writeOffs.every((w) => isCount(w.quantity, 1)) && arrivedOf(inspected) === 0) {
      fields.push({ field: at, message: "says nothing arrived: name the units received, resellable or written off, or leave the SKU out" });
    }
    return inspected;
  });
  if (fields.length > 0) throw new ValidationError(fields, undefined, "return.invalid-receipt");
  return { caseId, receiptId, lines };
}

/**
 * Books a receipt against what the case still expects, or recognises it as one booked
 * before: the same receipt again (a retry, a double click) books nothing; other goods under
 * a used receipt id are refused, since booking them would need the id twice and skipping
 * them would lose them. A SKU the case does not name, or more units than it still expects,
 * are refused, naming the line: goods beyond the case are not this return's (a clerk books
 * them as a goods receipt or a count).
 */
export function decideReturnReceipt(expected: ExpectedReturn, receipt: ReturnReceipt, booked: ReturnReceipt | undefined): ReturnReceiptDecision {
  if (booked) {
    if (sameGoods(booked, receipt)) return { kind: "repeat" };
    throw new IllegalStateError(
      "return.receipt-id-reused",
      `receipt ${receipt.receiptId} of case ${receipt.caseId} was booked for other goods (${describe(booked)}); give this receipt an id of its own`,
    );
  }
  const fields: FieldError[] = [];
  const lines = expected.lines.map((line) => ({ ...line }));
  receipt.lines.forEach((inspected, i) => {
    const line = lines.find((l) => l.sku === inspected.sku);
    if (!line) {
      fields.push({ field: `lines[${i}].sku`, message: `${inspected.sku} is not expected back on case ${expected.caseId} (it names ${expected.lines.map((l) => l.sku).join(", ")})` });
      return;
    }
    const arrived = arrivedOf(inspected);
    const outstanding = outstandingOf(line);
    if (arrived > outstanding) {
      fields.push({
        field: `lines[${i}]`,
        message: `${arrived} of ${line.sku} arrived, but only ${outstanding} are still expected (${line.expected} on the case, ${line.expected - outstanding} received before)`,
      });
      return;
    }
    line.restocked += inspected.resellable;
    line.writtenOff += writtenOffOf(inspected);
  });
  if (fields.length > 0) throw new ValidationError(fields, undefined, "return.more-than-expected");
  const restocked = receipt.lines.reduce((sum, l) => sum + l.resellable, 0);
  const writtenOff = receipt.lines.reduce((sum, l) => sum + writtenOffOf(l), 0);
  return { kind: "book", after: { ...expected, lines, receiptIds: [...expected.receiptIds, receipt.receiptId] }, restocked, writtenOff };
}

/** A call-off as the desk asked it: the case, and why its goods will not come. */
export interface ReturnCallOff {
  caseId: string;
  reason: string;
}

export type ReturnCallOffDecision = { kind: "repeat" } | { kind: "call-off"; after: ExpectedReturn; outstanding: number };

/** The call-off's fields checked and trimmed, every wrong one named. */
export function assertReturnCallOff(callOff: ReturnCallOff): ReturnCallOff {
  const fields: FieldError[] = [];
  const caseId = callOff.caseId.trim();
  const reason = callOff.reason.trim();
  if (!caseId) fields.push({ field: "caseId", message: "is required" });
  if (!reason) fields.push({ field: "reason", message: "is required: why the goods will not come (the customer kept them, the parcel was lost)" });
  else if (reason.length > maxCauseLength) fields.push({ field: "reason", message: `must be at most ${maxCauseLength} characters` });
  if (fields.length > 0) throw new ValidationError(fields, undefined, "return.invalid-call-off");
  return { caseId, reason };
}

/**
 * Calls off what a return still expects: the customer kept the goods, the parcel was lost.
 * It leaves the receiving list, and nothing else changes: what came back stays booked, and
 * goods that arrive after all are still received (ADR 021). Called off before, it answers
 * as it stands whatever the reason given now (one call-off a return, announced once); every
 * unit back, there is nothing left to call off.
 */
export function decideReturnCallOff(expected: ExpectedReturn, callOff: ReturnCallOff, by: string, at: Date): ReturnCallOffDecision {
  if (expected.calledOff) return { kind: "repeat" };
  if (statusOf(expected) === "received") {
    throw new IllegalStateError("return.already-received", `every unit of case ${expected.caseId} came back (${expected.receiptIds.join(", ")}): nothing is left to call off`);
  }
  const outstanding = expected.lines.reduce((sum, line) => sum + outstandingOf(line), 0);
  return { kind: "call-off", after: { ...expected, calledOff: { at, by, reason: callOff.reason } }, outstanding };
}

function isCount(value: number, least: number): boolean {
  return Number.isInteger(value) && value >= least && value <= 1_000_000;
}

function canonical(receipt: ReturnReceipt): string {
  const lines = [...receipt.lines]
    .sort((a, b) => (a.sku < b.sku ? -1 : a.sku > b.sku ? 1 : 0))
    .map((l) => [l.sku, l.resellable, l.location, l.writeOffs.map((w) => [w.quantity, w.condition, w.cause])]);
  return JSON.stringify(lines);
}

function sameGoods(a: ReturnReceipt, b: ReturnReceipt): boolean {
  return canonical(a) === canonical(b);
}

function describe(receipt: ReturnReceipt): string {
  return receipt.lines.map((l) => `${l.resellable} resellable and ${writtenOffOf(l)} written off of ${l.sku}`).join("; ");
}
