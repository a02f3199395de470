import { rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { RunningStack } from "@oms/infra";
import { loadDemoChain } from "@oms/service-kit";
import { createTestNamespace, testInfrastructure, type TestNamespace } from "@oms/testing";
import { writeBenchChain } from "../bench/src/bench-chain.ts";
import { seedChainThroughApi, type SeededChain } from "../support/chain-seeding.ts";
import type { ControlledServer } from "../support/server-control.ts";
import { startToolSystem, toolLogDir } from "../support/tool-system.ts";
import type { ToolServers } from "../support/tool-servers.ts";
import { runScenario, type ScenarioOutcome } from "./src/scenario.ts";
import { renderChaosSummary } from "./src/report.ts";
import { shortSchedule } from "./src/schedule.ts";

/**
 * The fault harness's short run: light load with the simulated people (some of whom never
 * acknowledge, confirm, collect or come on time, and some clerks late for a step, so the deadlines and rules behind those fire too),
 * business customers buying on credit (assessed good or poor first, so billing approves or refuses each order), poison planted,
 * intake and then fulfillment killed with SIGKILL and restarted, a drain, and every
 * invariant checked against what the load driver saw accepted. The full run (every
 * service, two at once, the broker, Postgres, Redis, a frozen consumer) is `npm run chaos`.
 */
let namespace: TestNamespace;
let stack: RunningStack | undefined;
let chain: SeededChain;
let servers: ToolServers;
const chainFile = path.join(tmpdir(), `oms-chaos-e2e-chain-${process.pid}.json`);
const log = (message: string) => process.stderr.write(`[chaos e2e] ${message}\n`);

/** The machine's servers are shared with every other test: this run never restarts them. */
const notRestarted = (url: string): ControlledServer => ({
  url,
  description: "shared (not restarted by the short run)",
  restart: async () => {
    throw new Error("the short run does not restart shared servers");
  },
  stop: async () => {},
});

beforeAll(async () => {
  const infrastructure = testInfrastructure();
  servers = {
    serverUrl: infrastructure.serverUrl,
    redisUrl: infrastructure.redisUrl,
    kafkaBrokers: infrastructure.kafkaBrokers,
    kafka: undefined,
    restartKafka: async () => {
      throw new Error("the short run does not restart the shared broker");
    },
    release: async () => {},
  };
  namespace = await createTestNamespace("c");
  const demo = await loadDemoChain();
  // Rules due within the run, longer than a service's restart and a person's retries after it.
  const wanted = writeBenchChain(demo, chainFile, { confirmationFollowUpHours: 8 / 3600, confirmationCancelHours: 30 / 3600 });
  stack = await startToolSystem({
    servers,
    namespace,
    logDir: toolLogDir(namespace.name),
    chainFile,
    env: {
      FULFILLMENT_ACCEPTANCE_PERIOD_HOURS: String(10 / 3600),
      FULFILLMENT_PICKUP_HOLD_HOURS: String(30 / 3600),
      DISPATCH_ARRIVAL_GRACE_MINUTES: String(8 / 60),
      DISPATCH_REPORT_GRACE_MINUTES: String(8 / 60),
      AFTERSALES_COMPLAINT_RESPONSE_HOURS: String(8 / 3600),
      DISPATCH_ESCALATE_AFTER_MINUTES: String(8 / 60),
      WAREHOUSE_PICK_MINUTES: String(8 / 60),
      WAREHOUSE_PACK_MINUTES: String(8 / 60),
      WAREHOUSE_SHIP_MINUTES: String(8 / 60),
      WAREHOUSE_ESCALATE_AFTER_MINUTES: String(8 / 60),
    },
  });
  chain = await seedChainThroughApi(stack, wanted, demo, log);
}, 180_000);

afterAll(async () => {
  await stack?.stop();
  await namespace?.drop();
  rmSync(chainFile, { force: true });
});

describe("fault harness, short run", () => {
  let outcome: ScenarioOutcome;

  it("keeps every invariant through kill -9 of intake and of fulfillment under load", async () => {
    outcome = await runScenario({
      servers,
      namespace,
      stack: stack!,
      postgres: notRestarted(servers.serverUrl),
      redis: notRestarted(servers.redisUrl),
      chain,
      rate: 8,
      faults: shortSchedule(),
      settleMs: 4_000,
      drainTimeoutMs: 120_000,
      thinkMs: [50, 300],
      // The clerks' and finance's waves under the same faults as every other step.
      waves: { windowMs: 150, maxItems: 20 },
      silentCustomers: 0.2,
      cancellingCustomers: 0.15,
      goodwillRefunds: 0.15,
      missedAcknowledgements: { share: 0.1, windowSeconds: 15 },
      unansweredConfirmations: 0.3,
      uncollectedPickups: 0.3,
      // A 20-s visit: the report is due 28 s after the appointment is made, escalated 8 s later.
      appointments: { lengthMs: 20_000, lateShare: 0.3, lateByMs: 20_000, lateReportShare: 0.3, reportLateByMs: 40_000 },
      // Complaints are due an answer within 8 s; a third are answered after 13 s, so escalated.
      complaints: { share: 0.2, lateShare: 0.3, lateByMs: 13_000 },
      // Each shipment step is due 8 s after the last, escalated 8 s later; a fifth of the goods orders' clerks are 21 s late for one.
      lateClerks: { share: 0.2, lateByMs: 21_000 },
      // Enough orders on credit in a short run that both good and poor customers' are decided.
      onCredit: { share: 0.15, poorCustomers: 2 },
      // Enough exchanges in a short run that replacements are both shipped and called off through the faults; the desk asks
      // to move half of those it ships, the clerk records restock dates for a third, and the desk claims from the carrier on
      // two fifths, finance answering.
      exchanges: { share: 0.15, callOffShare: 0.3, moveShare: 0.5, shortageShare: 0.6, restockShare: 0.3, claimShare: 0.4 },
      // Enough repairs of delivered service orders that the visit-rework invariant judges rejected reports and their new rounds.
      repairs: { share: 0.25, rejectShare: 0.5 },
      plantPoison: true,
      log,
    });
    log(`\n${renderChaosSummary(outcome)}`);
    expect(outcome.faults.map((f) => [f.name, f.error ?? "done"])).toEqual([
      ["kill -9 intake", "done"],
      ["kill -9 fulfillment", "done"],
    ]);
    expect(outcome.orders.answeredAccepted).toBeGreaterThan(50);
    // The cancellation path ran: the refund and unwinding invariants had orders to judge.
    expect(outcome.humanSteps.find((s) => s.name === "customer cancels before it ships")?.done).toBeGreaterThan(0);
    expect(outcome.humanSteps.find((s) => s.name === "finance refunds goodwill on a closed order")?.done).toBeGreaterThan(0);
    // Tasks were handed on: first assignees missed their acknowledgement window and dispatch's deadline timers fired.
    const timers = outcome.invariants.find((i) => i.name === "every timer fired exactly once");
    expect(Number(/([\d,]+) acknowledgements missed/.exec(timers?.figure ?? "")?.[1]?.replace(/,/g, "")), timers?.figure).toBeGreaterThan(0);
    // Customers who never confirmed: the store's rules followed up, escalated and cancelled, each on its timer.
    expect(Number(/([\d,]+) orders never confirmed/.exec(timers?.figure ?? "")?.[1]?.replace(/,/g, "")), timers?.figure).toBeGreaterThan(0);
    // Technicians who came late to their appointment: the arrival deadline warned, on dispatch's timers.
    expect(Number(/([\d,]+) late arrivals flagged/.exec(timers?.figure ?? "")?.[1]?.replace(/,/g, "")), timers?.figure).toBeGreaterThan(0);
    // Technicians who reported late: the report's deadline warned and escalated, on dispatch's timers.
    expect(Number(/([\d,]+) late reports flagged and ([\d,]+) escalated/.exec(timers?.figure ?? "")?.[2]?.replace(/,/g, "")), timers?.figure).toBeGreaterThan(0);
    // Clerks late for a step of the way out: the warehouse's deadline warned the clerks and escalated to the store manager, on its timers.
    expect(Number(/([\d,]+) late shipment steps flagged and ([\d,]+) escalated/.exec(timers?.figure ?? "")?.[2]?.replace(/,/g, "")), timers?.figure).toBeGreaterThan(0);
    // Customers who complained: customer service answered (some late, escalated by after-sales' timer) and resolved with a refund.
    const complaints = outcome.invariants.find((i) => i.name === "every complaint answered, escalated only when late, refunded once")?.figure ?? "";
    expect(Number(/^([\d,]+) complaints/.exec(complaints)?.[1]?.replace(/,/g, "")), complaints).toBeGreaterThan(0);
    expect(Number(/([\d,]+) escalated on their timer/.exec(complaints)?.[1]?.replace(/,/g, "")), complaints).toBeGreaterThan(0);
    // Business customers' orders bought on credit: billing approved the good customers' and refused the poor ones', through the faults.
    const credit = outcome.invariants.find((i) => i.name === "every on-credit order decided once, by its customer's credit")?.figure ?? "";
    expect(Number(/([\d,]+) approved/.exec(credit)?.[1]?.replace(/,/g, "")), credit).toBeGreaterThan(0);
    expect(Number(/([\d,]+) refused/.exec(credit)?.[1]?.replace(/,/g, "")), credit).toBeGreaterThan(0);
    // Exchanges ran under the faults: replacements shipped by the clerk and called off by the desk, judged on the case, the timeline and the ledger.
    const exchanges = outcome.invariants.find((i) => i.name === "every exchange accepted has one replacement, shipped or called off once")?.figure ?? "";
    expect(Number(/([\d,]+) shipped once/.exec(exchanges)?.[1]?.replace(/,/g, "")), exchanges).toBeGreaterThan(0);
    expect(Number(/([\d,]+) called off once/.exec(exchanges)?.[1]?.replace(/,/g, "")), exchanges).toBeGreaterThan(0);
    const stock = outcome.invariants.find((i) => i.name === "stock conserved")?.figure ?? "";
    expect(Number(/([\d,]+) exchange replacements/.exec(stock)?.[1]?.replace(/,/g, "")), stock).toBeGreaterThan(0);
    // Opened both ways (the customer online, the desk from a call), and the exchanged goods booked back at the store (ADR 021).
    expect(outcome.exchanges.openedByCustomer * outcome.exchanges.openedByDesk, JSON.stringify(outcome.exchanges)).toBeGreaterThan(0);
    expect(outcome.exchanges.goodsBack, JSON.stringify(outcome.exchanges)).toBeGreaterThan(0);
    // This session's steps ran under the faults too: the desk moved waiting replacements (their stores made to run short first)
    // and asked to move others (answered "not waiting"), the clerk recorded restock dates, and the desk claimed from the carrier.
    expect(outcome.exchanges.movesAsked, JSON.stringify(outcome.exchanges)).toBeGreaterThan(0);
    expect(outcome.exchanges.moved, JSON.stringify(outcome.exchanges)).toBeGreaterThan(0);
    expect(outcome.exchanges.restockDates, JSON.stringify(outcome.exchanges)).toBeGreaterThan(0);
    expect(outcome.exchanges.claimsFiled, JSON.stringify(outcome.exchanges)).toBeGreaterThan(0);
    // Repairs ran under the faults: the customer rejected first visits' reports, and the invariant judged their new rounds reported.
    const reworks = outcome.invariants.find((i) => i.name === "every rejected visit report got one new round that ended")?.figure ?? "";
    expect(Number(/([\d,]+) reports rejected/.exec(reworks)?.[1]?.replace(/,/g, "")), reworks).toBeGreaterThan(0);
    expect(Number(/([\d,]+) new rounds reported/.exec(reworks)?.[1]?.replace(/,/g, "")), reworks).toBeGreaterThan(0);
    const broken = outcome.invariants.filter((i) => !i.ok).map((i) => `${i.name}: ${i.figure}\n  ${i.details.join("\n  ")}`);
    expect(broken).toEqual([]);
    expect(outcome.crashes).toEqual([]);
  }, 300_000);
});
