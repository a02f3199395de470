import type { BenchResults } from "./results.ts";
import { sustains } from "./sustained.ts";

/** One of the targets, judged on a run; `note` says why it is n/a, or why it is not met. */
export interface TargetVerdict {
  name: string;
  target: string;
  actual: string;
  met: boolean | null;
  note?: string;
}

/** The figures the verdicts read: the results without the targets themselves. */
export type JudgedResults = Omit<BenchResults, "targets">;

export function targetsOf(r: JudgedResults, nodeServices: string[]): TargetVerdict[] {
  return [intakeSustained(r), intakeLatency(r), lifecycleThroughput(r), lifecycleLatency(r), memory(r, nodeServices)];
}

const n = (value: number) => value.toLocaleString("en-US");

function intakeSustained(r: JudgedResults): TargetVerdict {
  const sustained = r.run.rate >= 2000 && r.run.durationS >= 60;
  return {
    name: "intake sustained",
    target: "≥ 2,000 accepted orders/s for 60 s",
    actual: `${r.intake.acceptedPerSecond}/s accepted, ${r.intake.answeredPerSecond}/s answered within the window, lowest 5 s ${r.intake.lowestFiveSeconds}/s (lowest second ${r.intake.lowestSecond}) at ${r.run.rate}/s offered for ${r.run.durationS} s`,
    met: sustained ? sustains(r.intake, 2000) : null,
    ...(sustained ? {} : { note: "needs --rate ≥ 2000 --duration ≥ 60" }),
  };
}

/**
 * The percentiles hold accepted answers only: a request refused (429, 5xx), timed out or
 * never sent has no latency to rank, so fast answers beside failures would meet the
 * target on the requests that went well. It is met only when none failed or was dropped.
 */
function intakeLatency(r: JudgedResults): TargetVerdict {
  const at1000 = Math.abs(r.run.rate - 1000) <= 100;
  const { failed, dropped, latencyMs } = r.intake;
  const failures = Object.entries(r.intake.failures).map(([kind, count]) => `${kind}: ${n(count)}`).join(", ");
  const reasons = [
    ...(failed > 0 ? [`${n(failed)} requests not accepted (${failures})`] : []),
    ...(dropped > 0 ? [`${n(dropped)} dropped by the generator`] : []),
    ...(latencyMs.p99 > 50 ? ["p99 over 50 ms"] : []),
  ];
  return {
    name: "intake latency",
    target: "p99 ≤ 50 ms at 1,000/s offered, every request accepted",
    actual: `p99 ${latencyMs.p99} ms over the ${n(latencyMs.count)} accepted answers at ${r.run.rate}/s; ${n(failed)} not accepted, ${n(dropped)} dropped by the generator`,
    met: at1000 ? reasons.length === 0 : null,
    ...(at1000 ? (reasons.length ? { note: reasons.join("; ") } : {}) : { note: "needs --rate 1000" }),
  };
}

function lifecycleThroughput(r: JudgedResults): TargetVerdict {
  const intakeOnly = r.run.intakeOnly === true;
  const ends = Object.values(r.lifecycle.endOf);
  const toClosed = ends.length > 0 && ends.every((end) => end === "closed");
  return {
    name: "lifecycle throughput",
    target: "≥ 500 orders/s to closed",
    actual: `${r.lifecycle.reachedEndPerSecond}/s to ${toClosed ? "closed" : ends.length === 0 ? "their end" : [...new Set(ends)].join("/")}`,
    met: toClosed && r.run.rate >= 500 && !intakeOnly ? r.lifecycle.reachedEndPerSecond >= 500 : null,
    ...(intakeOnly
      ? { note: "--intake-only" }
      : toClosed
        ? r.run.rate >= 500
          ? {}
          : { note: "needs --rate ≥ 500" }
        : { note: ends.length === 0 ? "no order got far enough to tell" : "not every step to closed is offered yet" }),
  };
}

/**
 * Judged over every measured order: one still on its way when the drain ended counts with
 * the time it had taken by then, and the target is met only when none was left.
 */
function lifecycleLatency(r: JudgedResults): TargetVerdict {
  const intakeOnly = r.run.intakeOnly === true;
  const { measuredOrders, notReachedEnd, pipelineMs } = r.lifecycle;
  const reasons = [
    ...(notReachedEnd > 0 ? [`${n(notReachedEnd)} of ${n(measuredOrders)} orders did not reach their end within the drain`] : []),
    ...(pipelineMs.p99 > 2000 ? [`p99 over 2 s${notReachedEnd > 0 ? " even as a lower bound" : ""}`] : []),
  ];
  const judged = measuredOrders > 0 && !intakeOnly;
  return {
    name: "lifecycle latency",
    target: "p99 pipeline ≤ 2 s (simulated people's time left out), every order at its end",
    actual:
      `p99 ${notReachedEnd > 0 ? "≥ " : ""}${pipelineMs.p99} ms over ${n(measuredOrders)} orders, ${n(notReachedEnd)} not at their end when the drain ended` +
      (notReachedEnd > 0 ? " (p99 is a lower bound when orders did not finish)" : ""),
    met: judged ? reasons.length === 0 : null,
    ...(judged ? (reasons.length ? { note: reasons.join("; ") } : {}) : { note: intakeOnly ? "--intake-only" : "no measured orders" }),
  };
}

function memory(r: JudgedResults, nodeServices: string[]): TargetVerdict {
  const maxNodeRss = Math.max(0, ...nodeServices.map((name) => r.processes.summary[name]?.maxRssMb ?? 0));
  const heaviest = nodeServices.reduce((a, b) => ((r.processes.summary[a]?.maxRssMb ?? 0) >= (r.processes.summary[b]?.maxRssMb ?? 0) ? a : b), nodeServices[0] ?? "");
  return {
    name: "memory",
    target: "each Node service ≤ 200 MB RSS",
    actual: `max ${maxNodeRss} MB (${heaviest})`,
    met: maxNodeRss > 0 ? maxNodeRss <= 200 : null,
  };
}
