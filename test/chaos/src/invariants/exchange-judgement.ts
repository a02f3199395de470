import { n, type ExchangeRecord } from "./context.ts";

/** An exchange case as after-sales keeps it, with the replacement status it shows (null: none heard). */
export interface ExchangeCaseRow {
  case_id: string;
  order_id: string;
  status: string;
  replacement_status: string | null;
}

/** A replacement as the warehouse keeps it. */
export interface ReplacementRow {
  case_id: string;
  order_id: string;
  status: string;
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
}

export interface ExchangeFacts {
  cases: readonly ExchangeCaseRow[];
  replacements: readonly ReplacementRow[];
  timeline: readonly ReplacementTimelineRow[];
  announced: ReplacementAnnouncements;
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
  const byDesk = [...facts.asked.values()].filter((a) => a.leftOpenBecause).length;
  const figure =
    `${n(facts.asked.size)} exchanges asked for, ${n(facts.cases.length)} opened, ${n(replacements.size)} replacements: ${n(shipped)} shipped once, ${n(calledOff)} called off once, ` +
    `${n(open.length)} still open${open.length ? ` (${open.slice(0, 3).join("; ")}${open.length > 3 ? "; …" : ""})` : ""}; ${n(byDesk)} stopped short by the people; ` +
    `case and timeline agree with the warehouse; ${n(failures.length)} problems`;
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
