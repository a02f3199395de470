import path from "node:path";
import { parseArgs } from "node:util";
import { repositoryRoot } from "@oms/infra";
import { parseMix, type OrderMix } from "../../support/order-factory.ts";
import { parseServerSetting, type ServerSetting } from "./server-settings.ts";

export interface BenchOptions {
  /** Orders offered per second (open loop). */
  rate: number;
  /** Seconds of measured load. */
  durationS: number;
  /** Seconds of load before the measurement starts (JIT, pools, caches). */
  warmupS: number;
  /** Seconds the run waits after the load for orders to reach the end of their lifecycle. */
  drainS: number;
  mix: OrderMix;
  mixText: string;
  /** Where results.json, report.md and chart.html go. */
  out: string;
  /** Think time of the simulated people, ms [min, max]. */
  thinkMs: [number, number];
  floor: boolean;
  /** Keep the namespace's database and topics for inspection. */
  keep: boolean;
  seed: number;
  maxSockets: number;
  /** Run the services with --cpu-prof and summarise where their time went (docs/bench/profiles/). */
  profile: boolean;
  /**
   * Measure intake alone: the other six services are frozen (SIGSTOP) during the load
   * and let go for the drain, so intake's figures are not shared with their work.
   */
  intakeOnly: boolean;
  /** The warehouse clerks and finance gather their items for this long and take each step in waves; 0: one call per item. */
  waveMs: number;
  /** Postgres settings changed for the run and put back at its end (reloadable ones only). */
  pgSettings: ServerSetting[];
}

const usage = `npm run bench -- [--rate 1000] [--duration 60] [--warmup 20] [--drain 30] [--mix service=0.15,pickup=0.1,...]
                     [--think 50-200] [--out docs/bench] [--no-floor] [--keep] [--seed 42] [--sockets 128] [--profile] [--intake-only]
                     [--waves 0] [--pg-setting name=value ...]`;

export function parseBenchOptions(argv: string[]): BenchOptions {
  const { values } = parseArgs({
    args: argv,
    options: {
      rate: { type: "string", default: "1000" },
      duration: { type: "string", default: "60" },
      warmup: { type: "string", default: "20" },
      drain: { type: "string", default: "30" },
      mix: { type: "string", default: "" },
      think: { type: "string", default: "50-200" },
      out: { type: "string", default: "docs/bench" },
      "no-floor": { type: "boolean", default: false },
      keep: { type: "boolean", default: false },
      seed: { type: "string", default: "42" },
      sockets: { type: "string", default: "128" },
      profile: { type: "boolean", default: false },
      "intake-only": { type: "boolean", default: false },
      waves: { type: "string", default: "0" },
      "pg-setting": { type: "string", multiple: true, default: [] },
      help: { type: "boolean", default: false },
    },
    strict: true,
  });
  if (values.help) {
    process.stdout.write(`${usage}\n`);
    process.exit(0);
  }
  const positive = (name: string, raw: string, allowZero = false) => {
    const value = Number(raw);
    if (!Number.isFinite(value) || value < 0 || (!allowZero && value === 0)) throw new Error(`--${name} must be a ${allowZero ? "non-negative" : "positive"} number, got ${raw}\n${usage}`);
    return value;
  };
  const [thinkMin = "50", thinkMax = thinkMin] = values.think.split("-");
  return {
    rate: positive("rate", values.rate),
    durationS: positive("duration", values.duration),
    warmupS: positive("warmup", values.warmup, true),
    drainS: positive("drain", values.drain, true),
    mix: parseMix(values.mix),
    mixText: values.mix,
    out: path.resolve(repositoryRoot, values.out),
    thinkMs: [positive("think", thinkMin, true), positive("think", thinkMax, true)],
    floor: !values["no-floor"],
    keep: values.keep,
    seed: positive("seed", values.seed, true),
    maxSockets: positive("sockets", values.sockets),
    profile: values.profile,
    intakeOnly: values["intake-only"],
    waveMs: positive("waves", values.waves, true),
    pgSettings: values["pg-setting"].map(parseServerSetting),
  };
}
