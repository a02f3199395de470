import pg from "pg";
import type { RunningStack } from "@oms/infra";
import { ConsumerLagSampler } from "../../support/consumer-lag.ts";
import { JsonClient } from "../../support/http-client.ts";
import { HumanSimulator } from "../../support/human-simulator.ts";
import type { WaveOptions } from "../../support/people-waves.ts";
import { closeHumanApi, connectHumanApi } from "../../support/human-api.ts";
import { humanStepsWith } from "../../support/human-steps.ts";
import { complainsAbout, complaintRefundOf, goodwillOf, type StepSettings } from "../../support/step-settings.ts";
import { IntakeRecorder, placeOrders, submitWithRetries } from "../../support/intake-load.ts";
import { OrderFactory, parseMix } from "../../support/order-factory.ts";
import { OrderTracker } from "../../support/order-tracker.ts";
import { plantPoison, poisonSet, type PoisonMessage } from "../../support/poison.ts";
import type { ControlledServer } from "../../support/server-control.ts";
import type { SeededChain } from "../../support/chain-seeding.ts";
import type { ToolServers } from "../../support/tool-servers.ts";
import { assessBusinessCustomers, businessCreditOf } from "./credit-assessments.ts";
import { ExchangeDesk, type ExchangeFigures, type ExchangeSettings, type PlacedOrder } from "./exchanges/exchange-desk.ts";
import { Supervisor, type Fault, type FaultTargets } from "./faults.ts";
import { GoodsInClerk, type GoodsInFigures } from "./goods-in.ts";
import { RepairDesk, type RepairFigures, type RepairSettings } from "./repairs/repair-desk.ts";
import { invariants, readAllTopics, type InvariantResult, type OrderShape } from "./invariants/index.ts";

/**
 * One fault-harness run on a running stack: steady load with the simulated people, the
 * poison planted, the faults one after another with steady load between them, the
 * drain, and then the invariant checker over everything that happened.
 */
export interface ScenarioOptions {
  servers: ToolServers;
  namespace: { name: string; databaseUrl: string };
  stack: RunningStack;
  postgres: ControlledServer;
  redis: ControlledServer;
  chain: SeededChain;
  rate: number;
  faults: Fault[];
  /** Steady load before the first fault and after each one. */
  settleMs: number;
  drainTimeoutMs: number;
  thinkMs: [number, number];
  /** The warehouse clerks and finance work in waves (WorkWave, CloseOrders) rather than one call per item. */
  waves?: WaveOptions;
  silentCustomers: number;
  /** Share of customers who cancel once their order is assigned (stock released, task closed, money refunded). */
  cancellingCustomers: number;
  /** Share of closed orders on which finance refunds a tenth as goodwill, by its own reference. */
  goodwillRefunds: number;
  /**
   * Share of orders whose first rider or technician never acknowledges (step-settings.ts),
   * and every store's acknowledgement window in seconds, short enough to pass in the run:
   * dispatch's deadline timers hand those tasks on through the faults.
   */
  missedAcknowledgements: { share: number; windowSeconds: number };
  /** Share of customers asked to confirm who never answer: followed up, escalated, cancelled by the store's rules. */
  unansweredConfirmations: number;
  /** Share of pick-up orders nobody collects: cancelled by rule when the hold period ends. */
  uncollectedPickups: number;
  /** Technicians confirm appointments and report on them; shares arrive or report late, past the deadlines and their escalation. */
  appointments: NonNullable<StepSettings["appointments"]>;
  /** Customers who complain about closed orders; customer service answers some only past the response time. */
  complaints: NonNullable<StepSettings["complaints"]>;
  /** Warehouse clerks late for one step of a share of goods orders, past the warehouse's deadline for it and the escalation. */
  lateClerks: NonNullable<StepSettings["lateClerks"]>;
  /**
   * Share of goods orders bought on credit by the business customers (order-factory.ts), the
   * last `poorCustomers` of whom finance assesses poor before the load (every order of theirs
   * refused and cancelled), the others good (every order approved).
   */
  onCredit: { share: number; poorCustomers: number };
  /** Customers who exchange goods of a delivered order; the desk ships each replacement or calls a share off (ADR 030). */
  exchanges: ExchangeSettings;
  /** Customers who ask for a repair of a delivered service order; a share reject the first visit's report, and it is reworked (ADR 025). */
  repairs: RepairSettings;
  plantPoison: boolean;
  log: (message: string) => void;
  /** Called about twice a second with a status line. */
  onProgress?: (fraction: number, phase: string, detail: string) => void;
  /** Stops the run early (Ctrl-C): no more faults, no more restarts. */
  signal?: AbortSignal;
}

export interface InjectedFault {
  name: string;
  startedAt: number;
  durationMs: number;
  /** Accepted orders not yet at their end when the fault hit. */
  ordersInFlight: number;
  error?: string;
}

export interface ScenarioOutcome {
  faults: InjectedFault[];
  crashes: Supervisor["crashes"];
  orders: { sent: number; answeredAccepted: number; refused: Record<string, number>; unanswered: number; answerLost: number };
  drain: { drainedInMs: number; complete: boolean; lagAtEnd: Record<string, number> };
  planted: PoisonMessage[];
  invariants: InvariantResult[];
  humanSteps: ReturnType<HumanSimulator["figures"]>;
  goodsIn: GoodsInFigures;
  exchanges: ExchangeFigures;
  repairs: RepairFigures;
  startedAt: number;
  finishedAt: number;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

export async function runScenario(options: ScenarioOptions): Promise<ScenarioOutcome> {
  const { servers, namespace, stack, log } = options;
  const startedAt = Date.now();
  const client = new JsonClient(stack.intakeUrl, { maxSockets: 32, timeoutMs: 10_000 });
  const api = await connectHumanApi(stack, client, options.waves);
  const tracker = new OrderTracker(servers.kafkaBrokers, namespace.name, "chaos-tracker");
  const credit = businessCreditOf(options.onCredit.poorCustomers);
  // People retry a refused step for minutes (a service may be down that long), but not every
  // second: a clerk hammering a lagging warehouse would only slow it down further.
  const simulator = new HumanSimulator({
    api,
    tracker,
    thinkMs: options.thinkMs,
    retryBudgetMs: 180_000,
    maxRetryDelayMs: 5_000,
    steps: humanStepsWith({
      silentCustomers: options.silentCustomers,
      cancellingCustomers: options.cancellingCustomers,
      goodwillRefunds: options.goodwillRefunds,
      missedAcknowledgements: options.missedAcknowledgements.share,
      unansweredConfirmations: options.unansweredConfirmations,
      uncollectedPickups: options.uncollectedPickups,
      appointments: options.appointments,
      complaints: options.complaints,
      lateClerks: options.lateClerks,
      credit,
    }),
  });
  // Exchanges go through intake's public routes, like the confirmations and cancellations.
  const exchanges = new ExchangeDesk(client, tracker, { ...options.exchanges, retryBudgetMs: 180_000, awaitStockMs: 30_000, thinkMs: options.thinkMs });
  // Repairs too, the technician's visit through the task routes.
  const repairs = new RepairDesk(client, tracker, { ...options.repairs, retryBudgetMs: 180_000, thinkMs: options.thinkMs, appointmentMs: options.appointments.lengthMs });
  // What each order sent named, by its channel order id: the customer knows their goods; the order's view lists no lines.
  const placedBy = new Map<string, PlacedOrder>();
  const lag = new ConsumerLagSampler(servers.kafkaBrokers, namespace.name);
  const goodsIn = new GoodsInClerk(api, options.chain.chain.stock, { everyMs: 2_000, retryBudgetMs: 180_000, runId: namespace.name });
  const targets: FaultTargets = { stack, servers, postgres: options.postgres, redis: options.redis, faulted: new Set(), log };
  const supervisor = new Supervisor(targets);
  const db = new pg.Pool({ connectionString: namespace.databaseUrl, max: 4 });
  db.on("error", () => {});
  const recorder = new IntakeRecorder();
  const sent = new Set<string>();
  const refused: Record<string, number> = {};
  const injected: InjectedFault[] = [];
  const planted = options.plantPoison ? poisonSet() : [];
  const stopLoad = new AbortController();
  let phase = "steady load";
  const inFlight = () => [...recorder.accepted.keys()].filter((id) => !atEnd(id)).length;
  const atEnd = (orderId: string) => {
    const order = tracker.orders.get(orderId);
    return order !== undefined && order.reachedAt.has(simulator.endOf(order)) && (simulator.endOf(order) !== "assigned" || order.settlementPrepared !== undefined);
  };
  options.signal?.addEventListener("abort", () => {
    supervisor.stop();
    stopLoad.abort();
    simulator.stop();
  });
  const ticker = setInterval(() => {
    if (phase === "drain" || phase === "checking invariants") return;
    options.onProgress?.((0.8 * injected.length) / Math.max(1, options.faults.length), phase, `accepted ${recorder.accepted.size} | in flight ${inFlight()} | people busy ${simulator.pending} | crashes ${supervisor.crashes.length}`);
  }, 500);

  try {
    await simulator.probe();
    for (const store of options.chain.chain.stores) {
      await api.dispatch.setStoreSettings({ storeId: store.storeId, acknowledgeWithinSeconds: options.missedAcknowledgements.windowSeconds, preferredStaffId: "" });
    }
    await assessBusinessCustomers(api, credit, options.chain.chain.currency, 60_000);
    log(`assessed ${credit.good.length} business customers' credit good and ${credit.poor.length} poor`);
    await tracker.start();
    await lag.start(2_000);
    supervisor.start();
    goodsIn.start();
    const factory = new OrderFactory(options.chain.chain, parseMix(`unconfirmed=0.15,onCredit=${options.onCredit.share}`), namespace.name, 7, "CHAOS");
    const load = placeOrders({
      client,
      factory,
      recorder,
      rate: options.rate,
      durationMs: 24 * 3600_000,
      signal: stopLoad.signal,
      maxOutstanding: 5_000,
      submit: (order) => submitWithRetries(client, order, 120_000),
      onSent: (order) => {
        sent.add(order.channelOrderId);
        placedBy.set(order.channelOrderId, { customerId: order.customer.customerId ?? "", lines: order.lines });
      },
      onAccepted: (order) => {
        simulator.follow(order.orderId);
        const placed = placedBy.get(order.channelOrderId);
        if (placed) exchanges.follow(order.orderId, placed);
        if (placed) repairs.follow(order.orderId, placed.customerId);
      },
      onRefused: (status, body) => {
        const key = `${status} ${String((body as { code?: unknown })?.code ?? "")}`.trim();
        refused[key] = (refused[key] ?? 0) + 1;
      },
    });

    await sleep(options.settleMs);
    if (planted.length > 0) {
      await plantPoison(servers.kafkaBrokers, namespace.name, planted);
      log(`planted ${planted.length} poison messages (${[...new Set(planted.map((p) => p.kind))].join(", ")})`);
    }
    for (const fault of options.faults) {
      if (options.signal?.aborted) throw new Error("interrupted");
      phase = fault.name;
      supervisor.current = fault.name;
      const record: InjectedFault = { name: fault.name, startedAt: Date.now(), durationMs: 0, ordersInFlight: inFlight() };
      log(`fault: ${fault.name} (${record.ordersInFlight} orders in flight)`);
      try {
        await fault.inject(targets);
      } catch (error) {
        record.error = (error as Error).message;
        log(`fault ${fault.name} could not be completed: ${record.error}`);
      }
      record.durationMs = Date.now() - record.startedAt;
      injected.push(record);
      phase = "steady load";
      supervisor.current = `steady load after ${fault.name}`;
      await sleep(options.settleMs);
    }

    phase = "drain";
    supervisor.current = "drain";
    stopLoad.abort();
    const summary = await load;
    await goodsIn.stop();
    const drainStarted = Date.now();
    // Orders intake accepted although their answer was lost: the customer would learn of them later; so do the people.
    const known = await db.query<{ order_id: string }>("SELECT order_id FROM intake.orders");
    const answerLost = known.rows.filter((r) => !recorder.accepted.has(r.order_id));
    for (const row of answerLost) simulator.follow(row.order_id);
    const allIds = known.rows.map((r) => r.order_id);
    let complete = false;
    while (Date.now() - drainStarted < options.drainTimeoutMs) {
      const left = allIds.filter((id) => !atEnd(id)).length;
      const sample = await lag.sample().catch(() => undefined);
      const lagTotal = sample ? Object.values(sample.lag).reduce((a, b) => a + b, 0) : 1;
      options.onProgress?.(0.8 + 0.2 * (1 - left / Math.max(1, allIds.length)), "drain", `${left} orders not at their end | lag ${lagTotal} | people busy ${simulator.pending + exchanges.pending + repairs.pending}`);
      if (left === 0 && lagTotal === 0 && simulator.pending === 0 && exchanges.pending === 0 && repairs.pending === 0 && supervisor.restarting === 0) {
        complete = true;
        break;
      }
      await sleep(1_000);
    }
    // Let relays publish the last rows and consumers commit before reading everything.
    await sleep(3_000);
    const lagAtEnd = (await lag.sample().catch(() => undefined))?.lag ?? {};
    const drainedInMs = Date.now() - drainStarted;
    log(complete ? `drained in ${(drainedInMs / 1000).toFixed(1)} s` : `not drained after ${(drainedInMs / 1000).toFixed(0)} s; checking anyway`);

    // Nothing acts on the system while it is checked.
    simulator.stop();
    exchanges.stop();
    repairs.stop();
    phase = "checking invariants";
    const topics = await readAllTopics(servers.kafkaBrokers, namespace.name);
    const context = {
      db,
      accepted: recorder.accepted,
      sent,
      endOf: (order: OrderShape) => simulator.endOf(order),
      goodwillAskedFor: (order: { orderId: string; grandTotalMinor: number }) => goodwillOf(order, options.goodwillRefunds),
      complaintRefundFor: (order: { orderId: string; grandTotalMinor: number }) => (complainsAbout(order, options.complaints.share) ? complaintRefundOf(order) : 0),
      exchanges: exchanges.exchanges(),
      planted,
      topics,
    };
    const results: InvariantResult[] = [];
    for (const invariant of invariants) {
      try {
        results.push(await invariant(context));
      } catch (error) {
        results.push({ name: invariant.name, ok: false, figure: `the check itself failed: ${(error as Error).message}`, details: [] });
      }
    }
    return {
      faults: injected,
      crashes: supervisor.crashes,
      orders: {
        sent: sent.size,
        answeredAccepted: recorder.accepted.size,
        refused,
        unanswered: recorder.unanswered.length + summary.dropped,
        answerLost: answerLost.length,
      },
      drain: { drainedInMs, complete, lagAtEnd },
      planted,
      invariants: results,
      humanSteps: simulator.figures(),
      goodsIn: goodsIn.figures(),
      exchanges: exchanges.figures(),
      repairs: repairs.figures(),
      startedAt,
      finishedAt: Date.now(),
    };
  } finally {
    clearInterval(ticker);
    stopLoad.abort();
    await goodsIn.stop();
    supervisor.stop();
    simulator.stop();
    exchanges.stop();
    repairs.stop();
    await lag.stop().catch(() => {});
    await tracker.stop().catch(() => {});
    closeHumanApi(api);
    client.close();
    await db.end().catch(() => {});
  }
}
