import { n, type ExchangeRecord } from "./context.ts";

/** An exchange case as after-sales keeps it, with the replacement status it shows (null: none heard). */
export interface ExchangeCaseRow {
  case_id: string;
  order_id: string;
  status: string;
  replacement_status: string | null;
  /** The store the case says its replacement ships from (the warehouse's announcements' store); null before any. */
  replacement_store_id: string | null;
}

/** A replacement as the warehouse keeps it: the store it ships from, and the one it waited at when the desk moved it. */
export interface ReplacementRow {
  case_id: string;
  order_id: string;
  status: string;
  store_id: string;
  moved_from_store_id: string | null;
}

/** A case's units on the ledger at one store (all its SKUs and locations there). */
export interface ReplacementLedgerRow {
  case_id: string;
  store_id: string;
  reserved: number;
  released: number;
  shipped: number;
}

/** How often the order's timeline holds an entry of one kind (replacement.reserved, …) for a case. */
export interface ReplacementTimelineRow {
  order_id: string;
  case_id: string;
  what: string;
  entries: number;
}

/** The warehouse's announcements by case, each counted once however often it was republished. */
export interface ReplacementAnnouncements {
  /** ReplacementReserved: at the acceptance, or later when stock came for one awaiting it. */
  reserved: ReadonlyMap<string, number>;
  awaitingStock: ReadonlyMap<string, number>;
  shipped: ReadonlyMap<string, number>;
  calledOff: ReadonlyMap<string, number>;
  /** ReplacementMoved, by case. */
  moved: ReadonlyMap<string, number>;
  /** The store each ReplacementShipped named (its envelope's): the store it left from. */
  shippedFrom: ReadonlyMap<string, string>;
}

export interface ExchangeFacts {
  cases: readonly ExchangeCaseRow[];
  replacements: readonly ReplacementRow[];
  timeline: readonly ReplacementTimelineRow[];
  announced: ReplacementAnnouncements;
  /** Each case's units on the ledger, by store. */
  ledger: readonly ReplacementLedgerRow[];
  /** What the simulated people asked for, by case id. */
  asked: ReadonlyMap<string, ExchangeRecord>;
}

const stillOpen: ReadonlySet<string> = new Set(["reserved", "awaiting-stock"]);
const endOf = { ship: "shipped", "call-off": "called-off" } as const;

/**
 * Every exchange the people asked for was opened, and every one accepted has exactly one
 * replacement (one row a case, its reservation and its wait for stock each announced at most once); none exists for a case not accepted
 * or never asked for. Each replacement ended as the desk meant — shipped exactly once or called
 * off exactly once, announced so — or is still reserved or awaiting stock with the people's
 * reason, which the figure shows. The case shows the warehouse's status, and the order's timeline
 * holds each of the replacement's entries once, on its own order. Pure: exchanges.ts reads the facts.
 */
export function judgeExchanges(facts: ExchangeFacts): { failures: string[]; figure: string } {
  const failures: string[] = [];
  const cases = new Map(facts.cases.map((c) => [c.case_id, c]));
  const replacements = new Map(facts.replacements.map((r) => [r.case_id, r]));
  for (const c of facts.cases) if (!facts.asked.has(c.case_id)) failures.push(`exchange case ${c.case_id} on order ${c.order_id}, which nobody asked for`);
  for (const [caseId, asked] of facts.asked) {
    const c = cases.get(caseId);
    if (!c) {
      if (!asked.leftOpenBecause) failures.push(`exchange ${caseId} asked for on order ${asked.orderId} was never opened, and nobody said why`);
      continue;
    }
    const accepted = c.status === "accepted" || c.status === "resolved";
    if (!accepted && !asked.leftOpenBecause) failures.push(`exchange ${caseId} is ${c.status}, never accepted, and nobody said why`);
    if (accepted && !replacements.has(caseId)) failures.push(`exchange ${caseId} was accepted but the warehouse has no replacement for it`);
    if (!accepted && replacements.has(caseId)) failures.push(`exchange ${caseId} is ${c.status} but has a replacement`);
  }
  const open: string[] = [];
  let shipped = 0;
  let calledOff = 0;
  for (const r of facts.replacements) {
    const c = cases.get(r.case_id);
    const asked = facts.asked.get(r.case_id);
    if (!c) {
      failures.push(`replacement of case ${r.case_id} on order ${r.order_id}, which is no exchange after-sales keeps`);
      continue;
    }
    if (r.order_id !== c.order_id) failures.push(`replacement of case ${r.case_id} names order ${r.order_id}, the case ${c.order_id}`);
    failures.push(...announcementProblems(r, facts.announced));
    if (c.replacement_status !== r.status) failures.push(`case ${r.case_id} shows its replacement ${c.replacement_status ?? "not at all"}, the warehouse has it ${r.status}`);
    if (r.status === "shipped") shipped++;
    if (r.status === "called-off") calledOff++;
    if (stillOpen.has(r.status)) {
      if (asked?.leftOpenBecause) open.push(`${r.case_id} ${r.status}: ${asked.leftOpenBecause}`);
      else failures.push(`replacement of case ${r.case_id} is still ${r.status} at the end, and nobody said why`);
    } else if (asked && r.status !== endOf[asked.intent]) {
      failures.push(`replacement of case ${r.case_id} is ${r.status}, the desk meant it ${endOf[asked.intent]}`);
    }
  }
  failures.push(...timelineProblems(facts.replacements, facts.timeline));
  const moves = judgeMoves(facts);
  failures.push(...moves.failures);
  const byDesk = [...facts.asked.values()].filter((a) => a.leftOpenBecause).length;
  const figure =
    `${n(facts.asked.size)} exchanges asked for, ${n(facts.cases.length)} opened, ${n(replacements.size)} replacements: ${n(shipped)} shipped once, ${n(calledOff)} called off once, ` +
    `${n(open.length)} still open${open.length ? ` (${open.slice(0, 3).join("; ")}${open.length > 3 ? "; …" : ""})` : ""}; ${n(byDesk)} stopped short by the people; ` +
    `case and timeline agree with the warehouse; ${moves.figure}; ${n(failures.length)} problems`;
  return { failures, figure };
}

/**
 * Replacements sent from another store (ADR 030, third addendum): moved exactly when the desk's
 * move was answered, to the store the desk named, announced moved once (and on the timeline
 * once, in timelineProblems); every replacement's units reserved at one store only — the one it
 * ships from — and shipped from there (the ledger and the announcement's store), never reserved
 * at two stores; the case naming the store it ships from. A 409 to the desk is an answer: the
 * replacement stays where it was.
 */
export function judgeMoves(facts: Pick<ExchangeFacts, "cases" | "replacements" | "announced" | "ledger" | "asked">): { failures: string[]; figure: string } {
  const failures: string[] = [];
  const cases = new Map(facts.cases.map((c) => [c.case_id, c]));
  const ledgerOf = new Map<string, ReplacementLedgerRow[]>();
  for (const l of facts.ledger) ledgerOf.set(l.case_id, [...(ledgerOf.get(l.case_id) ?? []), l]);
  let moved = 0;
  let shippedFromNew = 0;
  for (const r of facts.replacements) {
    const asked = facts.asked.get(r.case_id);
    const announced = facts.announced.moved.get(r.case_id) ?? 0;
    const where = `replacement of case ${r.case_id}`;
    if (r.moved_from_store_id !== null) {
      moved++;
      if (r.status === "shipped") shippedFromNew++;
      if (announced !== 1) failures.push(`${where} moved from ${r.moved_from_store_id} to ${r.store_id}, announced moved ${announced} times`);
      if (r.moved_from_store_id === r.store_id) failures.push(`${where} moved from ${r.store_id} to the same store`);
      if (asked && asked.movedTo !== r.store_id) failures.push(`${where} moved to ${r.store_id}, the desk's move was answered to ${asked.movedTo ?? "no store"}`);
    } else {
      if (announced !== 0) failures.push(`${where} never moved, announced moved ${announced} times`);
      if (asked?.movedTo !== undefined) failures.push(`${where}: the desk's move to ${asked.movedTo} was answered, but the warehouse has it unmoved at ${r.store_id}`);
    }
    const lines = ledgerOf.get(r.case_id) ?? [];
    const reservedAt = lines.filter((l) => l.reserved > 0).map((l) => l.store_id);
    if (reservedAt.length > 1) failures.push(`${where} reserved at ${reservedAt.length} stores: ${reservedAt.sort().join(", ")}`);
    for (const l of lines) {
      if (l.store_id !== r.store_id && l.reserved + l.released + l.shipped > 0) {
        failures.push(`${where} ships from ${r.store_id} but the ledger reserved ${l.reserved}, released ${l.released} and shipped ${l.shipped} at ${l.store_id}`);
      }
    }
    const from = facts.announced.shippedFrom.get(r.case_id);
    if (r.status === "shipped" && from !== undefined && from !== r.store_id) failures.push(`${where} is at ${r.store_id}, announced shipped from ${from}`);
    const c = cases.get(r.case_id);
    if (c && c.replacement_store_id !== null && c.replacement_store_id !== r.store_id) failures.push(`case ${r.case_id} says its replacement ships from ${c.replacement_store_id}, the warehouse has it at ${r.store_id}`);
    if (c && r.moved_from_store_id !== null && c.replacement_store_id === null) failures.push(`case ${r.case_id} never heard its replacement moved to ${r.store_id}`);
  }
  const asked = [...facts.asked.values()].filter((a) => a.moveIntended && a.opened);
  const refused = asked.filter((a) => a.notMovedBecause !== undefined).length;
  const figure = `${n(moved)} moved to another store (${n(refused)} moves answered no: not waiting or no store with the goods), ${n(shippedFromNew)} shipped from the new store, each reserved at one store only`;
  return { failures, figure };
}

/**
 * Opened: reserved, awaiting stock, or awaiting and then reserved when stock came — each at most
 * once, at least one of them. Shipped once exactly when shipped, called off once exactly when
 * called off.
 */
function announcementProblems(r: ReplacementRow, announced: ReplacementAnnouncements): string[] {
  const problems: string[] = [];
  const count = (m: ReadonlyMap<string, number>) => m.get(r.case_id) ?? 0;
  const [reserved, awaiting] = [count(announced.reserved), count(announced.awaitingStock)];
  if (reserved > 1 || awaiting > 1 || reserved + awaiting === 0) {
    problems.push(`replacement of case ${r.case_id} announced reserved ${reserved} times and awaiting stock ${awaiting} times`);
  }
  if (count(announced.shipped) !== (r.status === "shipped" ? 1 : 0)) problems.push(`replacement of case ${r.case_id} is ${r.status}, announced shipped ${count(announced.shipped)} times`);
  if (count(announced.calledOff) !== (r.status === "called-off" ? 1 : 0)) {
    problems.push(`replacement of case ${r.case_id} is ${r.status}, announced called off ${count(announced.calledOff)} times`);
  }
  return problems;
}

/**
 * The order's timeline: the replacement's opening (reserved, awaiting stock, or both when stock
 * came for it later, each once), one entry for its shipment or call-off when it had one, none of
 * another case's order, none twice.
 */
function timelineProblems(replacements: readonly ReplacementRow[], timeline: readonly ReplacementTimelineRow[]): string[] {
  const problems: string[] = [];
  const byCase = new Map(replacements.map((r) => [r.case_id, r]));
  const entries = (caseId: string, what: string) => timeline.filter((t) => t.case_id === caseId && t.what === what).reduce((sum, t) => sum + t.entries, 0);
  for (const t of timeline) {
    const r = byCase.get(t.case_id);
    if (!r) problems.push(`order ${t.order_id}'s timeline has ${t.what} for case ${t.case_id}, which has no replacement`);
    else if (t.order_id !== r.order_id) problems.push(`order ${t.order_id}'s timeline has ${t.what} for case ${t.case_id}, a replacement of order ${r.order_id}`);
  }
  for (const r of replacements) {
    const [reserved, awaiting] = [entries(r.case_id, "replacement.reserved"), entries(r.case_id, "replacement.awaiting-stock")];
    if (reserved > 1 || awaiting > 1 || reserved + awaiting === 0) {
      problems.push(`order ${r.order_id}'s timeline has the replacement of case ${r.case_id} reserved ${reserved} times and awaiting stock ${awaiting} times`);
    }
    // Its clerk's steps (ADR 030's seventh addendum): each on the timeline once at most, and once for one shipped, since it
    // ships only picked and packed (the harness's replacements are all opened after the steps came).
    for (const what of ["replacement.picked", "replacement.packed"] as const) {
      const count = entries(r.case_id, what);
      if (count > 1 || (r.status === "shipped" && count !== 1)) problems.push(`order ${r.order_id}'s timeline has ${what} ${count} times for case ${r.case_id}, which is ${r.status}`);
    }
    const moves = entries(r.case_id, "replacement.moved");
    if (moves !== (r.moved_from_store_id !== null ? 1 : 0)) problems.push(`order ${r.order_id}'s timeline has replacement.moved ${moves} times for case ${r.case_id}`);
    for (const [what, status] of [
      ["replacement.shipped", "shipped"],
      ["replacement.called-off", "called-off"],
    ] as const) {
      const expected = r.status === status ? 1 : 0;
      if (entries(r.case_id, what) !== expected) problems.push(`order ${r.order_id}'s timeline has ${what} ${entries(r.case_id, what)} times for case ${r.case_id}, which is ${r.status}`);
    }
  }
  return problems;
}
