import { topErrors } from "../../support/human-simulator.ts";
import type { MachineDescription } from "../../support/machine.ts";
import type { ScenarioOutcome } from "./scenario.ts";
import { verdictOf } from "./verdict.ts";

export interface ChaosRunInfo {
  command: string;
  machine: MachineDescription;
  servers: string[];
  chain: string;
  notes: string[];
  fuzz?: { name: string; runs: number; figure: string; ok: boolean }[];
}

const n = (value: number) => value.toLocaleString("en-US");
const seconds = (ms: number) => `${(ms / 1000).toFixed(1)} s`;

/** What the simulated desk and clerk did with exchanges, and why any stopped short. */
export function exchangeLine({ exchanges: e }: Pick<ScenarioOutcome, "exchanges">): string {
  const short = Object.entries(e.leftOpen).map(([why, count]) => `${n(count)}× ${why}`);
  return (
    `${n(e.asked)} asked for (${n(e.openedByCustomer)} opened online by the customer, ${n(e.openedByDesk)} by the desk from a call), ${n(e.accepted)} accepted, ` +
    `${n(e.shipped)} replacements shipped by the clerk, ${n(e.calledOff)} called off by the desk, ${n(e.goodsBack)} exchanged goods booked back; ` +
    `${n(e.movesAsked)} moves asked for (${n(e.shortages)} after the store was made to run short), ${n(e.moved)} moved, ${n(e.shippedFromNewStore)} shipped by the new store's clerk` +
    `${Object.keys(e.movesRefused).length ? ` (answered no: ${Object.entries(e.movesRefused).map(([code, count]) => `${n(count)}× ${code}`).join(", ")})` : ""}; ` +
    `${n(e.restockDates)} expected restock dates recorded; ${n(e.claimsFiled)} carrier claims filed, ${n(e.claimsSettled)} settled, ${n(e.claimsRejected)} rejected, ${n(e.carrierReceipts)} carrier payments booked (${n(e.carrierReversals)} reversed as booked in error; ${n(e.carrierRemittances ?? 0)} as a transfer's remittance, ${n(e.carrierRemittanceReversals ?? 0)} reversed whole); ${n(e.retries)} retries` +
    (short.length ? `; stopped short: ${short.join("; ")}` : "")
  );
}

/** What the simulated desk, technicians and customers did with repairs (the visit-rework invariant judges the rounds), and why any stopped short. */
export function repairLine({ repairs: r }: Pick<ScenarioOutcome, "repairs">): string {
  const short = Object.entries(r.leftOpen).map(([why, count]) => `${n(count)}× ${why}`);
  return (
    `${n(r.asked)} asked for, ${n(r.accepted)} accepted, ${n(r.firstVisitsReported)} first visits reported, ${n(r.reportsRejected)} reports rejected by the customer, ` +
    `${n(r.reworkVisitsReported)} rework visits reported, ${n(r.resolved)} resolved; ${n(r.retries)} retries` +
    (short.length ? `; stopped short: ${short.join("; ")}` : "")
  );
}

/** The report: faults injected, orders in flight, and each invariant with its figure. */
export function renderChaosReport(outcome: ScenarioOutcome, info: ChaosRunInfo): string {
  const failed = outcome.invariants.filter((i) => !i.ok && !i.skipped);
  const verdict = verdictOf(outcome, info.fuzz);
  const m = info.machine;
  const lines = [
    `# Fault harness — ${m.date.slice(0, 10)}: ${verdict.headline}`,
    "",
    ...(verdict.passed ? [] : ["The run failed:", "", ...verdict.reasons.map((r) => `- ${r}`), ""]),
    `\`${info.command}\` on ${m.cpus} × ${m.cpuModel}, ${m.memoryGb} GB, Node ${m.node}, Postgres ${m.postgres}, Kafka ${m.kafka}, Redis ${m.redis}; ${m.date}.`,
    "",
    `Servers: ${info.servers.join("; ")}. Chain: ${info.chain}.`,
    "",
    "## Invariants",
    "",
    "| | invariant | figure |",
    "|---|---|---|",
    ...outcome.invariants.map((i) => `| ${i.skipped ? "–" : i.ok ? "✔" : "✘"} | ${i.name} | ${i.figure.replace(/\|/g, "/")} |`),
    "",
    ...failed.flatMap((i) => [`### ✘ ${i.name}`, "", ...i.details.map((d) => `- ${d}`), ""]),
    "## Faults injected",
    "",
    "| # | fault | at | took | orders in flight | outcome |",
    "|---|---|---|---|---|---|",
    ...outcome.faults.map(
      (f, i) => `| ${i + 1} | ${f.name} | +${seconds(f.startedAt - outcome.startedAt)} | ${seconds(f.durationMs)} | ${n(f.ordersInFlight)} | ${f.error ? `could not complete: ${f.error.slice(0, 120)}` : "done"} |`,
    ),
    "",
    outcome.crashes.length === 0
      ? "No service exited by itself."
      : `Services that exited by themselves (restarted by the harness's supervisor): ${outcome.crashes.map((c) => `${c.service} (${c.code}) during "${c.during}"`).join("; ")}.`,
    "",
    "## Orders",
    "",
    "| sent | answered accepted | accepted, answer lost | never answered | refused |",
    "|---|---|---|---|---|",
    `| ${n(outcome.orders.sent)} | ${n(outcome.orders.answeredAccepted)} | ${n(outcome.orders.answerLost)} | ${n(outcome.orders.unanswered)} | ${Object.entries(outcome.orders.refused).map(([k, v]) => `${k}: ${n(v)}`).join(", ") || "none"} |`,
    "",
    `Drain: ${outcome.drain.complete ? `complete in ${seconds(outcome.drain.drainedInMs)}` : `not complete after ${seconds(outcome.drain.drainedInMs)}`}; consumer lag at the end: ${Object.entries(outcome.drain.lagAtEnd).map(([k, v]) => `${k} ${v}`).join(", ") || "–"}.`,
    "",
    `Poison planted: ${outcome.planted.length === 0 ? "none" : outcome.planted.map((p) => `${p.kind} on ${p.topic}`).join("; ")}.`,
    "",
    `Goods in (a clerk booking deliveries through the faults, each receipt sent twice and retried under its id): ${n(outcome.goodsIn.receipts)} receipts, ${n(outcome.goodsIn.sends)} sends, ${n(outcome.goodsIn.retries)} retries, ${n(outcome.goodsIn.gaveUp)} given up.`,
    "",
    `Exchanges (ADR 030, every step retried under its id through intake): ${exchangeLine(outcome)}.`,
    "",
    `Repairs (ADR 025, the visit worked through the task routes, a share of reports rejected and visited again): ${repairLine(outcome)}.`,
    "",
    "## Simulated people",
    "",
    "| step | offered | done | retries | failed | moot | most frequent refusals |",
    "|---|---|---|---|---|---|---|",
    ...outcome.humanSteps.map((s) => `| ${s.name} | ${s.offered ? "yes" : "not yet"} | ${n(s.done)} | ${n(s.retries)} | ${n(s.failed)} | ${n(s.moot)} | ${topErrors(s.errors)} |`),
    "",
    "Refusals while a service restarts are expected (the people retry); a step that failed for good left its order short of its end.",
    "",
    ...(info.fuzz
      ? ["## Bad input (fast-check)", "", "| property | runs | result |", "|---|---|---|", ...info.fuzz.map((f) => `| ${f.name} | ${n(f.runs)} | ${f.ok ? "✔" : "✘"} ${f.figure.replace(/\|/g, "/")} |`), ""]
      : []),
    ...(info.notes.length ? ["## Notes", "", ...info.notes.map((note) => `- ${note}`), ""] : []),
    `Run took ${seconds(outcome.finishedAt - outcome.startedAt)}.`,
    "",
  ];
  return lines.join("\n");
}

/** The same in a few lines for the terminal. */
export function renderChaosSummary(outcome: ScenarioOutcome): string {
  const rows = [
    // The scenario's part of the verdict; main.ts prints the whole run's, fuzzing included, after it.
    `scenario: ${verdictOf(outcome).headline}`,
    `faults injected: ${outcome.faults.length} (${outcome.faults.filter((f) => f.error).length} could not complete); services that crashed by themselves: ${outcome.crashes.length}`,
    `orders: ${outcome.orders.sent} sent, ${outcome.orders.answeredAccepted} answered accepted, ${outcome.orders.answerLost} accepted with the answer lost, ${outcome.orders.unanswered} never answered`,
    `drain: ${outcome.drain.complete ? "complete" : "NOT complete"} after ${seconds(outcome.drain.drainedInMs)}`,
    `exchanges: ${exchangeLine(outcome)}`,
    `repairs: ${repairLine(outcome)}`,
    ...outcome.invariants.map((i) => `${i.skipped ? "–" : i.ok ? "✔" : "✘"} ${i.name}: ${i.figure}${i.ok ? "" : `\n      ${i.details.slice(0, 5).join("\n      ")}`}`),
  ];
  return rows.map((r) => `  ${r}`).join("\n");
}
