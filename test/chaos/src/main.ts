// `npm run chaos`: the fault harness. Steady load with simulated people, faults one after
// another, a drain, then the invariant checker and fuzzing of every public input.
import { mkdirSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { parseArgs } from "node:util";
import { repositoryRoot, type RunningStack } from "@oms/infra";
import { loadDemoChain } from "@oms/service-kit";
import { writeBenchChain } from "../../bench/src/bench-chain.ts";
import { seedChainThroughApi } from "../../support/chain-seeding.ts";
import { describeMachine } from "../../support/machine.ts";
import { ProgressLine } from "../../support/progress.ts";
import { canRunPrivatePostgres, sharedPostgres, sharedRedis, startPrivatePostgres, startPrivateRedis, type ControlledServer } from "../../support/server-control.ts";
import { startToolSystem, toolLogDir } from "../../support/tool-system.ts";
import { createToolNamespace, prepareToolServers, type ToolNamespace, type ToolServers } from "../../support/tool-servers.ts";
import { runFuzzing } from "./fuzz/run-fuzzing.ts";
import { renderChaosReport, renderChaosSummary } from "./report.ts";
import { businessCreditOf } from "./credit-assessments.ts";
import { runScenario } from "./scenario.ts";
import { faultKinds, fullSchedule, type FaultKind } from "./schedule.ts";
import { verdictOf } from "./verdict.ts";

const usage = `npm run chaos -- [--rate 10] [--repeat 2] [--faults ${faultKinds.join(",")}] [--settle 6] [--drain 240]
                     [--servers private|shared] [--no-fuzz] [--out docs/chaos] [--keep]`;
const { values } = parseArgs({
  args: process.argv.slice(2),
  options: {
    rate: { type: "string", default: "10" },
    repeat: { type: "string", default: "2" },
    faults: { type: "string", default: faultKinds.join(",") },
    settle: { type: "string", default: "6" },
    drain: { type: "string", default: "240" },
    servers: { type: "string", default: "private" },
    "no-fuzz": { type: "boolean", default: false },
    out: { type: "string", default: "docs/chaos" },
    keep: { type: "boolean", default: false },
    help: { type: "boolean", default: false },
  },
});
if (values.help) {
  process.stdout.write(`${usage}\n`);
  process.exit(0);
}
const kinds = values.faults.split(",").map((k) => k.trim()) as FaultKind[];
for (const kind of kinds) if (!faultKinds.includes(kind)) throw new Error(`unknown fault kind ${kind}\n${usage}`);
if (values.servers !== "private" && values.servers !== "shared") throw new Error(`--servers is private or shared\n${usage}`);

const progress = new ProgressLine();
const say = (message: string) => progress.say(`[chaos] ${message}`);
let postgres: ControlledServer | undefined;
let redis: ControlledServer | undefined;
let servers: ToolServers | undefined;
let namespace: ToolNamespace | undefined;
let stack: RunningStack | undefined;
let chainFile: string | undefined;
let stopping = false;
const interrupt = new AbortController();

async function cleanUp(): Promise<void> {
  if (stack) {
    say("stopping the services");
    await stack.stop().catch(() => {});
    // A restart that was under way when we were interrupted may have started a process since.
    await new Promise((resolve) => setTimeout(resolve, 1_500));
    await stack.stop().catch(() => {});
  }
  if (namespace && !values.keep) await namespace.drop().catch(() => {});
  await servers?.release().catch(() => {});
  await redis?.stop().catch(() => {});
  await postgres?.stop().catch(() => {});
  if (chainFile) rmSync(chainFile, { force: true });
}

for (const signal of ["SIGINT", "SIGTERM"] as const) {
  process.on(signal, () => {
    if (stopping) return;
    stopping = true;
    say("interrupted: stopping everything this run started");
    interrupt.abort();
    void cleanUp().finally(() => process.exit(130));
  });
}

async function main(): Promise<number> {
  const shared = values.servers === "shared";
  if (!shared && !canRunPrivatePostgres()) throw new Error("no Postgres binaries to run a private cluster; use --servers shared on a machine that runs nothing else");
  postgres = shared ? sharedPostgres(process.env.DATABASE_URL ?? "postgres://postgres@127.0.0.1:5432/postgres") : await startPrivatePostgres(say);
  redis = shared ? sharedRedis(process.env.REDIS_URL ?? "redis://127.0.0.1:6379") : await startPrivateRedis(say);
  servers = await prepareToolServers({ log: say, privateKafka: !shared, serverUrl: postgres.url, redisUrl: redis.url });
  const machine = await describeMachine(servers);
  namespace = await createToolNamespace(servers, "c", 3);
  const demo = await loadDemoChain();
  chainFile = path.join(tmpdir(), `oms-chaos-chain-${namespace.name}.json`);
  // Longer than a frozen consumer's 36 s and a person's retries after it, so a customer who does answer is never overtaken by the rule.
  const rulesAfter = {
    confirmFollowUpSeconds: 20,
    confirmCancelSeconds: 60,
    pickupHoldSeconds: 60,
    arrivalGraceSeconds: 10,
    appointmentSeconds: 30,
    reportGraceSeconds: 10,
    escalateAfterSeconds: 10,
    complaintResponseSeconds: 20,
    // Each of a shipment's steps (pick, pack, ship) is due this long after the last; its escalation comes escalateAfterSeconds later.
    shipmentStepSeconds: 10,
  };
  const wanted = writeBenchChain(demo, chainFile, { confirmationFollowUpHours: rulesAfter.confirmFollowUpSeconds / 3600, confirmationCancelHours: rulesAfter.confirmCancelSeconds / 3600 });
  say(`namespace ${namespace.name}; starting the seven services (logs in ${path.relative(process.cwd(), toolLogDir(namespace.name))})`);
  stack = await startToolSystem({
    servers,
    namespace,
    logDir: toolLogDir(namespace.name),
    chainFile,
    // Deliveries nobody answers are accepted by rule after 15 s, on fulfillment's durable timer.
    env: {
      FULFILLMENT_ACCEPTANCE_PERIOD_HOURS: String(15 / 3600),
      FULFILLMENT_PICKUP_HOLD_HOURS: String(rulesAfter.pickupHoldSeconds / 3600),
      DISPATCH_ARRIVAL_GRACE_MINUTES: String(rulesAfter.arrivalGraceSeconds / 60),
      DISPATCH_REPORT_GRACE_MINUTES: String(rulesAfter.reportGraceSeconds / 60),
      AFTERSALES_COMPLAINT_RESPONSE_HOURS: String(rulesAfter.complaintResponseSeconds / 3600),
      DISPATCH_ESCALATE_AFTER_MINUTES: String(rulesAfter.escalateAfterSeconds / 60),
      WAREHOUSE_PICK_MINUTES: String(rulesAfter.shipmentStepSeconds / 60),
      WAREHOUSE_PACK_MINUTES: String(rulesAfter.shipmentStepSeconds / 60),
      WAREHOUSE_SHIP_MINUTES: String(rulesAfter.shipmentStepSeconds / 60),
      WAREHOUSE_ESCALATE_AFTER_MINUTES: String(rulesAfter.escalateAfterSeconds / 60),
    },
    log: say,
  });
  const chain = await seedChainThroughApi(stack, wanted, demo, say);
  const faults = fullSchedule(kinds, Number(values.repeat), servers.kafka !== undefined);
  say(`${faults.length} faults, ${values.repeat} round(s), load ${values.rate} orders/s`);
  const waves = { windowMs: 250, maxItems: 50 };
  // The window is longer than a dispatch restart and a person's retries, so the others are never late.
  const missedAcknowledgements = { share: 0.1, windowSeconds: 25 };
  // Late past a shipment step's deadline and its escalation: both levels come due.
  const lateClerks = { share: 0.1, lateByMs: (rulesAfter.shipmentStepSeconds + rulesAfter.escalateAfterSeconds + 5) * 1000 };
  const onCredit = { share: 0.05, poorCustomers: 2 };
  const outcome = await runScenario({
    servers,
    namespace,
    stack,
    postgres,
    redis,
    chain,
    rate: Number(values.rate),
    faults,
    settleMs: Number(values.settle) * 1000,
    drainTimeoutMs: Number(values.drain) * 1000,
    thinkMs: [100, 1_000],
    waves,
    silentCustomers: 0.2,
    cancellingCustomers: 0.1,
    goodwillRefunds: 0.05,
    missedAcknowledgements,
    unansweredConfirmations: 0.2,
    uncollectedPickups: 0.2,
    // Late past the arrival or the report deadline and its escalation: both levels come due.
    appointments: {
      lengthMs: rulesAfter.appointmentSeconds * 1000,
      lateShare: 0.2,
      lateByMs: (rulesAfter.arrivalGraceSeconds + rulesAfter.escalateAfterSeconds + 5) * 1000,
      lateReportShare: 0.2,
      reportLateByMs: (rulesAfter.appointmentSeconds + rulesAfter.reportGraceSeconds + rulesAfter.escalateAfterSeconds + 5) * 1000,
    },
    // Answered past the response time: after-sales' timer escalates those.
    complaints: { share: 0.1, lateShare: 0.3, lateByMs: (rulesAfter.complaintResponseSeconds + 5) * 1000 },
    lateClerks,
    onCredit,
    // Exchanges of delivered goods: the clerk ships each replacement, the desk calls a quarter off (ADR 030).
    exchanges: { share: 0.05, callOffShare: 0.25, moveShare: 0.25, shortageShare: 0.5, restockShare: 0.2, claimShare: 0.2 },
    // Repairs of delivered service orders: the customer rejects two fifths of the first visits' reports, which are visited again (ADR 025).
    repairs: { share: 0.05, rejectShare: 0.4 },
    plantPoison: true,
    log: say,
    onProgress: (fraction, phase, detail) => progress.update(fraction, phase, detail),
    signal: interrupt.signal,
  });
  progress.done();
  const fuzz = values["no-fuzz"] ? undefined : await runFuzzing({ stack, servers, namespace, log: say });
  const notes = [
    ...chain.notes,
    "20 % of customers never answer a delivery: those orders are accepted by rule when the acceptance period (15 s here) runs out.",
    `20 % of customers asked to confirm never answer: the store's rules follow the order up after ${rulesAfter.confirmFollowUpSeconds} s, escalate it and cancel it after ${rulesAfter.confirmCancelSeconds} s here. Nobody comes for 20 % of pick-up orders: they are cancelled by rule when the hold period (${rulesAfter.pickupHoldSeconds} s here) ends.`,
    `Technicians confirm an appointment from the moment they start; 20 % arrive ${rulesAfter.arrivalGraceSeconds + rulesAfter.escalateAfterSeconds + 5} s later, past the arrival deadline (${rulesAfter.arrivalGraceSeconds} s here) and its escalation (${rulesAfter.escalateAfterSeconds} s after).`,
    `On ${lateClerks.share * 100} % of goods orders the warehouse clerk is ${lateClerks.lateByMs / 1000} s late for one step (pick, pack or ship), past the step's deadline (${rulesAfter.shipmentStepSeconds} s here) and its escalation (${rulesAfter.escalateAfterSeconds} s after); the others act within a second or two, so their steps are flagged only when a fault held them up.`,
    creditNote(onCredit),
    `On ${missedAcknowledgements.share * 100} % of orders the first rider or technician never acknowledges nor turns up: each store's acknowledgement window is ${missedAcknowledgements.windowSeconds} s here, after which dispatch's deadline timer records the miss and hands the task on.`,
    "Postgres and Redis restarts hit the run's own private servers unless --servers shared.",
    `The warehouse clerks and finance work in waves: the reservations that come up for a step, and the orders settled, within ${waves.windowMs} ms go in one WorkWave or CloseOrders call (up to ${waves.maxItems}).`,
  ];
  const info = {
    command: ["npm run chaos", ...(process.argv.length > 2 ? ["--", ...process.argv.slice(2)] : [])].join(" "),
    machine,
    servers: [postgres.description, redis.description, servers.kafka ? `a Kafka broker of this run on ${servers.kafkaBrokers[0]}` : `the Kafka broker on ${servers.kafkaBrokers[0]} (reused: not restarted)`],
    chain: chain.description,
    notes,
    ...(fuzz ? { fuzz } : {}),
  };
  const out = path.resolve(repositoryRoot, values.out);
  mkdirSync(out, { recursive: true });
  writeFileSync(path.join(out, "report.md"), renderChaosReport(outcome, info));
  writeFileSync(path.join(out, "results.json"), `${JSON.stringify({ ...info, outcome: { ...outcome, planted: outcome.planted.map((p) => ({ topic: p.topic, kind: p.kind })) } }, null, 2)}\n`);
  // Faults not injected, services that exited by themselves, an incomplete drain and
  // invariants not checked fail the run as a broken invariant does.
  const verdict = verdictOf(outcome, fuzz);
  const why = verdict.reasons.map((r) => `\n  - ${r}`).join("");
  process.stdout.write(`\n${renderChaosSummary(outcome)}\n\n${verdict.headline}${why}\nreport: ${path.relative(process.cwd(), path.join(out, "report.md"))}\n`);
  return verdict.passed ? 0 : 1;
}

/** Who buys on credit in the run, and how finance assessed them. */
function creditNote(onCredit: { share: number; poorCustomers: number }): string {
  const { good, poor } = businessCreditOf(onCredit.poorCustomers);
  return (
    `${onCredit.share * 100} % of goods orders are bought on credit by ${good.length + poor.length} business customers, whom a finance clerk assesses before the load: ` +
    `${good.length} good, with a limit far above what they could owe, so billing approves each of their orders, which finance is paid for after acceptance as for a bank transfer; ` +
    `${poor.length} poor, so billing refuses each of theirs and fulfillment cancels it.`
  );
}

let code = 1;
try {
  code = await main();
} catch (error) {
  progress.done();
  say(`failed: ${(error as Error).stack ?? (error as Error).message}`);
} finally {
  if (!stopping) await cleanUp();
}
process.exit(code);
