import type { ConsumerLagSampler } from "../../support/consumer-lag.ts";
import type { HumanSimulator, StepFigures } from "../../support/human-simulator.ts";
import type { IntakeRecorder } from "../../support/intake-load.ts";
import { PerSecond, type Percentiles } from "../../support/latency-stats.ts";
import type { MachineDescription } from "../../support/machine.ts";
import type { OpenLoopSummary } from "../../support/open-loop.ts";
import type { OrderTracker, TrackedOrder } from "../../support/order-tracker.ts";
import type { PostgresActivitySampler } from "../../support/postgres-activity.ts";
import type { ProcessSampler } from "../../support/process-sampler.ts";
import type { KafkaFloor, PostgresFloor } from "./floor.ts";
import type { PipelineHop } from "./hops.ts";
import type { ProfileSummary } from "./profiles.ts";
import { countsPerOrder, statementsPerOrder } from "../../support/statement-counts.ts";
import { lifecycleTimes, pipelineTimeOf, type MeasuredOrder } from "./pipeline-time.ts";
import { sustainedRate } from "./sustained.ts";
import { targetsOf, type TargetVerdict } from "./targets.ts";

/** Everything a run measured, as written to results.json. */
export interface BenchResults {
  machine: MachineDescription;
  run: {
    rate: number;
    durationS: number;
    warmupS: number;
    drainS: number;
    mix: string;
    thinkMs: [number, number];
    chain: string;
    namespace: string;
    intakeOnly?: boolean;
    /** The wave window of the warehouse clerks and finance (ms); absent or 0: one call per item. */
    waveMs?: number;
    /** The command line as given. */
    command?: string;
  };
  notes: string[];
  floor: { kafka?: KafkaFloor; postgres?: PostgresFloor };
  intake: {
    offered: number;
    dropped: number;
    worstSendLagMs: number;
    accepted: number;
    acceptedPerSecond: number;
    /** The lowest one-second count of answers within the window (edges excluded). */
    lowestSecond: number;
    /** Answers that arrived within the window, per second, and the lowest five seconds of them (sustained.ts). */
    answeredPerSecond: number;
    lowestFiveSeconds: number;
    statuses: Record<string, number>;
    errors: Record<string, number>;
    /** Requests due in the window that were not accepted, and how many by status or "no answer". */
    failed: number;
    failures: Record<string, number>;
    /** Over the accepted answers of the window only: refused, lost and dropped requests have none. */
    latencyMs: Percentiles;
    perSecond: { second: number; count: number; p50: number; p99: number; max: number }[];
  };
  lifecycle: {
    /** Where the people leave each kind of order today ("closed" when every step is offered). */
    endOf: Record<string, string>;
    measuredOrders: number;
    reachedEnd: number;
    /** Measured orders not at their end when the drain ended (pipeline-time.ts). */
    notReachedEnd: number;
    reachedEndPerSecond: number;
    /** Over every measured order, those not at their end with their time until the drain ended: then a lower bound. */
    pipelineMs: Percentiles;
    /** The union of the stretches simulated people held each measured order (what pipelineMs leaves out). */
    humanWaitMs: Percentiles;
    finalStatuses: Record<string, number>;
    perSecond: { second: number; count: number; p50: number; p99: number; max: number }[];
  };
  assignment: { decisions: number; decisionsPerSecond: number; perSecond: { second: number; count: number }[] };
  consumerLag: { max: Record<string, number>; atEnd: Record<string, number>; series: { second: number; lag: Record<string, number> }[] };
  processes: {
    summary: Record<string, { maxRssMb: number; meanCpuPercent: number; maxCpuPercent: number }>;
    series: { second: number; rssMb: Record<string, number>; cpuPercent: Record<string, number> }[];
    /**
     * CPU time per accepted order (ms), from the start of the load to the end of the drain
     * over every order accepted in it: at one rate it varies far less between runs than
     * the mean shares (±5 % where throughput varied ±15 %). It includes what the idle
     * system spends (pollers), so it falls as the rate rises: compare it at equal rates.
     */
    cpuMsPerOrder: Record<string, number>;
  };
  /** What the services asked of Postgres: commits per second idle and under load, and who kept connections busy. */
  postgresActivity: {
    idleCommitsPerSecond: number;
    commitsPerSecond: number;
    commitsPerAcceptedOrder: number | null;
    /** Statements (round trips) each service sent to Postgres per accepted order, load and drain together, and their total. */
    statementsPerOrder: Record<string, number> | null;
    busyShareByService: Record<string, number>;
    idleCpuPercent: Record<string, number>;
    /** Checkpoints the server started in the measured window (each followed by a surge of full-page images in the WAL). */
    checkpointsInWindow: { timed: number; requested: number };
  };
  /**
   * Events on the topics per accepted order, by type, load and drain (republished copies
   * included), and their total: what an order sets in motion downstream, each event a
   * relay's share, a produce, and a fetch and a transaction in every consumer acting on it.
   */
  eventsPerOrder: Record<string, number> | null;
  humanSteps: StepFigures[];
  /** The slowest hops an order takes by itself, from fulfillment's timeline (hops.ts). */
  pipelineHops: PipelineHop[];
  ratios: Record<string, number | null>;
  /** With --profile: where each service's CPU time went. */
  profiles?: ProfileSummary[];
  targets: TargetVerdict[];
}

export interface ResultInputs {
  machine: MachineDescription;
  run: BenchResults["run"];
  notes: string[];
  floor: BenchResults["floor"];
  recorder: IntakeRecorder;
  load: OpenLoopSummary;
  /** Epoch ms of the measured window. */
  window: { from: number; to: number };
  /** Epoch ms at which the drain stopped waiting: orders not at their end by then did not finish. */
  drainEndedAt: number;
  tracker: OrderTracker;
  simulator: HumanSimulator;
  lag: ConsumerLagSampler;
  processes: ProcessSampler;
  postgres: PostgresActivitySampler;
  /** Epoch ms of the idle measurement before the load. */
  idle: { from: number; to: number };
  /** Pids the services were sampled under, to tell Node services from servers. */
  nodeServices: string[];
  pipelineHops: PipelineHop[];
  /** Each service's statement count before the load and after the drain. */
  statements: { before: Record<string, number>; after: Record<string, number> };
}

export function computeResults(inputs: ResultInputs): BenchResults {
  const { recorder, window, tracker, simulator } = inputs;
  const windowS = (window.to - window.from) / 1000;
  const intakeSeries = recorder.perSecond.series();
  const rate = sustainedRate(intakeSeries, Math.round(windowS));
  const accepted = [...recorder.accepted.values()].filter((o) => o.dueAt >= window.from && o.dueAt < window.to);

  const endOf = (order: TrackedOrder) => simulator.endOf(order);
  const finalStatuses: Record<string, number> = {};
  const endsOf: Record<string, string> = {};
  const lifecycleSeries = new PerSecond(window.from);
  const measured: MeasuredOrder[] = [];
  for (const order of accepted) {
    const tracked = tracker.orders.get(order.orderId);
    const status = tracked?.status || "not seen on the topic";
    finalStatuses[status] = (finalStatuses[status] ?? 0) + 1;
    if (tracked) endsOf[`${tracked.kind}/${tracked.fulfillmentMethod}/${tracked.prepaid ? "prepaid" : tracked.paymentMethod}`] = endOf(tracked);
    // An order never seen on the topic is measured too: it did not reach its end.
    const timed: MeasuredOrder = { dueAt: order.dueAt, endAt: tracked && endTimeOf(tracked, endOf(tracked)), heldByPeople: simulator.heldByPeople.get(order.orderId) ?? [] };
    measured.push(timed);
    const time = pipelineTimeOf(timed, inputs.drainEndedAt);
    if (time.reachedEnd) lifecycleSeries.add(timed.endAt!, time.pipelineMs);
  }
  const lifecycle = lifecycleTimes(measured, inputs.drainEndedAt);
  // Throughput to the end: every order (warm-up ones too) that got there within the window.
  let endsInWindow = 0;
  for (const tracked of tracker.orders.values()) {
    const endAt = endTimeOf(tracked, endOf(tracked));
    if (endAt !== undefined && endAt >= window.from && endAt < window.to) endsInWindow++;
  }

  const decisions = [...tracker.decisionsBySecond].filter(([second]) => second * 1000 >= window.from && second * 1000 < window.to);
  const decisionCount = decisions.reduce((sum, [, n]) => sum + n, 0);
  const lagSeries = inputs.lag.samples.map((s) => ({ second: Math.round((s.at - window.from) / 1000), lag: s.lag }));
  const maxLag: Record<string, number> = {};
  for (const s of inputs.lag.samples) for (const [name, v] of Object.entries(s.lag)) maxLag[name] = Math.max(maxLag[name] ?? 0, v);

  const load = inputs.load;
  const acceptedPerSecond = round(accepted.length / windowS);
  const results: BenchResults = {
    machine: inputs.machine,
    run: inputs.run,
    notes: inputs.notes,
    floor: inputs.floor,
    intake: {
      offered: load.offered,
      dropped: load.dropped,
      worstSendLagMs: round(load.worstSendLagMs),
      accepted: accepted.length,
      acceptedPerSecond,
      lowestSecond: rate.lowestSecond,
      answeredPerSecond: rate.answeredPerSecond,
      lowestFiveSeconds: rate.lowestFiveSeconds,
      statuses: Object.fromEntries([...recorder.statuses].map(([k, v]) => [String(k), v])),
      errors: Object.fromEntries(recorder.errors),
      failed: [...recorder.failedInWindow.values()].reduce((sum, count) => sum + count, 0),
      failures: Object.fromEntries(recorder.failedInWindow),
      latencyMs: recorder.latency.percentiles(),
      perSecond: intakeSeries,
    },
    lifecycle: {
      endOf: endsOf,
      measuredOrders: lifecycle.measured,
      reachedEnd: lifecycle.reachedEnd,
      notReachedEnd: lifecycle.measured - lifecycle.reachedEnd,
      reachedEndPerSecond: round(endsInWindow / windowS),
      pipelineMs: lifecycle.pipelineMs,
      humanWaitMs: lifecycle.peopleMs,
      finalStatuses,
      perSecond: lifecycleSeries.series(),
    },
    assignment: {
      decisions: decisionCount,
      decisionsPerSecond: round(decisionCount / windowS),
      perSecond: decisions.map(([second, count]) => ({ second: Math.round(second - window.from / 1000), count })).sort((a, b) => a.second - b.second),
    },
    consumerLag: { max: maxLag, atEnd: inputs.lag.samples.at(-1)?.lag ?? {}, series: lagSeries },
    processes: {
      summary: inputs.processes.summary(window.from, window.to),
      series: inputs.processes.samples.map((s) => ({ second: Math.round((s.at - window.from) / 1000), rssMb: s.rssMb, cpuPercent: s.cpuPercent })),
      cpuMsPerOrder: cpuPerOrder(inputs.processes.cpuMilliseconds(window.from - inputs.run.warmupS * 1000), inputs.recorder.accepted.size),
    },
    postgresActivity: postgresActivityOf(inputs, acceptedPerSecond),
    eventsPerOrder: countsPerOrder(shortTypeNames(tracker.eventsSeen), inputs.recorder.accepted.size),
    humanSteps: simulator.figures(),
    pipelineHops: inputs.pipelineHops,
    ratios: {},
    targets: [],
  };
  results.ratios = ratiosOf(results);
  results.targets = targetsOf(results, inputs.nodeServices);
  return results;
}

function postgresActivityOf(inputs: ResultInputs, acceptedPerSecond: number): BenchResults["postgresActivity"] {
  const load = inputs.postgres.summary(inputs.window.from, inputs.window.to);
  const idle = inputs.postgres.summary(inputs.idle.from, inputs.idle.to);
  const idleCpu = inputs.processes.summary(inputs.idle.from, inputs.idle.to);
  return {
    idleCommitsPerSecond: idle.commitsPerSecond,
    commitsPerSecond: load.commitsPerSecond,
    commitsPerAcceptedOrder: acceptedPerSecond > 0 ? round(load.commitsPerSecond / acceptedPerSecond) : null,
    statementsPerOrder: statementsPerOrder(inputs.statements.before, inputs.statements.after, inputs.recorder.accepted.size),
    busyShareByService: load.busyShareByService,
    idleCpuPercent: Object.fromEntries(Object.entries(idleCpu).map(([name, v]) => [name, v.meanCpuPercent])),
    checkpointsInWindow: load.checkpointsStarted,
  };
}

/** "oms.events.v1.OrderStatusChanged" → "OrderStatusChanged". */
function shortTypeNames(counts: ReadonlyMap<string, number>): Record<string, number> {
  return Object.fromEntries([...counts].map(([type, count]) => [type.slice(type.lastIndexOf(".") + 1), count]));
}

/** When the order got where the people leave it; for "assigned" that includes billing's settlement. */
function endTimeOf(order: TrackedOrder, end: string): number | undefined {
  const at = order.reachedAt.get(end);
  if (at === undefined) return undefined;
  if (end === "assigned") return order.settlementPrepared === undefined ? undefined : Math.max(at, order.settlementPrepared);
  return at;
}

function ratiosOf(r: BenchResults): Record<string, number | null> {
  // Three significant digits: at a low offered rate the ratios are small, not zero.
  const ratio = (a: number, b: number | undefined) => (b ? Number((a / b).toPrecision(3)) : null);
  return {
    intakeToPostgresSingleCommit: ratio(r.intake.acceptedPerSecond, r.floor.postgres?.singleConnectionCommitsPerSecond),
    intakeToPostgresBatched: ratio(r.intake.acceptedPerSecond, r.floor.postgres?.batchedOrdersPerSecond),
    intakeToKafkaProduce: ratio(r.intake.acceptedPerSecond, r.floor.kafka?.recordsPerSecond),
    lifecycleToPostgresBatched: ratio(r.lifecycle.reachedEndPerSecond, r.floor.postgres?.batchedOrdersPerSecond),
    // The lifecycle against what the round trips alone would allow: 1.0 would mean Postgres did nothing but answer them.
    lifecycleToRoundTripBound: ratio(r.lifecycle.reachedEndPerSecond, roundTripBound(r)),
  };
}

/** Orders per second the machine's round trips would allow at this run's statements per order. */
function roundTripBound(r: BenchResults): number | undefined {
  const perOrder = r.postgresActivity.statementsPerOrder?.total;
  const roundTrips = r.floor.postgres?.eightConnectionsRoundTripsPerSecond;
  return perOrder && roundTrips ? roundTrips / perOrder : undefined;
}

function cpuPerOrder(cpuMs: Record<string, number>, orders: number): Record<string, number> {
  if (orders === 0) return {};
  return Object.fromEntries(Object.entries(cpuMs).map(([name, ms]) => [name, round(ms / orders)]));
}

function round(value: number): number {
  return Math.round(value * 10) / 10;
}
