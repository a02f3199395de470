import type { ScenarioOutcome } from "./scenario.ts";

/**
 * Whether a fault-harness run passed. Its invariants holding is not enough: a fault
 * that could not be injected proved nothing about that fault, a service that exited by
 * itself is a finding even if nothing was lost, a drain that did not complete was
 * checked mid-flight, and an invariant that could not be checked proved nothing. The
 * short run's e2e spec asserts the same (chaos.e2e.spec.ts).
 */
export interface RunVerdict {
  passed: boolean;
  /** One line for the report's title: "every invariant holds" only when the run passed. */
  headline: string;
  /** Each reason the run failed. */
  reasons: string[];
}

type Judged = Pick<ScenarioOutcome, "invariants" | "faults" | "crashes" | "drain">;

export function verdictOf(outcome: Judged, fuzz: readonly { name: string; ok: boolean }[] = []): RunVerdict {
  const broken = outcome.invariants.filter((i) => !i.ok && !i.skipped);
  const unchecked = outcome.invariants.filter((i) => i.skipped);
  const notInjected = outcome.faults.filter((f) => f.error !== undefined);
  const fuzzFailed = fuzz.filter((f) => !f.ok);
  const reasons = [
    ...broken.map((i) => `invariant broken: ${i.name}`),
    ...unchecked.map((i) => `invariant not checked: ${i.name} (${i.figure})`),
    ...notInjected.map((f) => `fault not injected: ${f.name}: ${f.error}`),
    ...outcome.crashes.map((c) => `${c.service} exited by itself (${c.code}) during "${c.during}"`),
    ...(outcome.drain.complete ? [] : [`the drain did not complete in ${(outcome.drain.drainedInMs / 1000).toFixed(0)} s: the invariants were checked on a system still moving`]),
    ...fuzzFailed.map((f) => `bad input property failed: ${f.name}`),
  ];
  const counts = [
    count(broken.length, "invariant broken", "invariants broken"),
    count(unchecked.length, "invariant not checked", "invariants not checked"),
    count(notInjected.length, "fault not injected", "faults not injected"),
    count(outcome.crashes.length, "service crash", "service crashes"),
    outcome.drain.complete ? "" : "drain incomplete",
    count(fuzzFailed.length, "bad-input property failed", "bad-input properties failed"),
  ].filter(Boolean);
  return { passed: reasons.length === 0, headline: reasons.length === 0 ? "every invariant holds" : `FAILED: ${counts.join(", ")}`, reasons };
}

const count = (value: number, one: string, many: string) => (value === 0 ? "" : `${value} ${value === 1 ? one : many}`);
