import { readdirSync, readFileSync } from "node:fs";

/**
 * RSS and CPU of named processes from /proc, sampled each second. CPU is the share of
 * one core over the last interval (100 % = one core busy). A name may stand for several
 * processes (all Postgres backends): their figures are summed.
 */
export interface ProcessSample {
  /** Epoch ms. */
  at: number;
  rssMb: Record<string, number>;
  cpuPercent: Record<string, number>;
}

export type PidSource = () => Record<string, number[]>;

const ticksPerSecond = 100; // CLK_TCK on Linux

export class ProcessSampler {
  readonly samples: ProcessSample[] = [];
  readonly #pids: PidSource;
  #timer: NodeJS.Timeout | undefined;
  #previous = new Map<number, { ticks: number; at: number }>();

  constructor(pids: PidSource) {
    this.#pids = pids;
  }

  start(intervalMs = 1000): void {
    this.sample();
    this.#timer = setInterval(() => this.sample(), intervalMs);
    this.#timer.unref();
  }

  stop(): void {
    if (this.#timer) clearInterval(this.#timer);
  }

  sample(): ProcessSample {
    const at = Date.now();
    const sample: ProcessSample = { at, rssMb: {}, cpuPercent: {} };
    const next = new Map<number, { ticks: number; at: number }>();
    for (const [name, pids] of Object.entries(this.#pids())) {
      let rss = 0;
      let cpu = 0;
      let seen = false;
      for (const pid of pids) {
        const stat = readStat(pid);
        if (!stat) continue;
        seen = true;
        rss += stat.rssKb / 1024;
        next.set(pid, { ticks: stat.ticks, at });
        const before = this.#previous.get(pid);
        if (before && at > before.at) cpu += (((stat.ticks - before.ticks) / ticksPerSecond) * 1000 * 100) / (at - before.at);
      }
      if (!seen) continue;
      sample.rssMb[name] = Math.round(rss * 10) / 10;
      sample.cpuPercent[name] = Math.round(cpu * 10) / 10;
    }
    this.#previous = next;
    this.samples.push(sample);
    return sample;
  }

  /** Per name: the CPU time (ms) spent in the sampled intervals that end in (from, to]. */
  cpuMilliseconds(from = 0, to = Number.POSITIVE_INFINITY): Record<string, number> {
    const result: Record<string, number> = {};
    for (let i = 1; i < this.samples.length; i++) {
      const sample = this.samples[i]!;
      if (sample.at <= from || sample.at > to) continue;
      const intervalMs = sample.at - this.samples[i - 1]!.at;
      for (const [name, cpu] of Object.entries(sample.cpuPercent)) result[name] = (result[name] ?? 0) + (cpu / 100) * intervalMs;
    }
    return result;
  }

  /** Per name: the highest RSS, and the mean and highest CPU over samples taken in [from, to]. */
  summary(from = 0, to = Number.POSITIVE_INFINITY): Record<string, { maxRssMb: number; meanCpuPercent: number; maxCpuPercent: number }> {
    const within = this.samples.filter((s) => s.at >= from && s.at <= to);
    const names = new Set(within.flatMap((s) => Object.keys(s.rssMb)));
    const result: Record<string, { maxRssMb: number; meanCpuPercent: number; maxCpuPercent: number }> = {};
    for (const name of names) {
      const rss = within.map((s) => s.rssMb[name]).filter((v): v is number => v !== undefined);
      const cpu = within.map((s) => s.cpuPercent[name]).filter((v): v is number => v !== undefined);
      result[name] = {
        maxRssMb: Math.max(...rss),
        meanCpuPercent: Math.round((cpu.reduce((a, b) => a + b, 0) / Math.max(1, cpu.length)) * 10) / 10,
        maxCpuPercent: Math.max(0, ...cpu),
      };
    }
    return result;
  }
}

function readStat(pid: number): { ticks: number; rssKb: number } | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    const ticks = Number(fields[11]) + Number(fields[12]);
    const status = readFileSync(`/proc/${pid}/status`, "utf8");
    const rssKb = Number(/^VmRSS:\s+(\d+)/m.exec(status)?.[1] ?? 0);
    return { ticks, rssKb };
  } catch {
    return undefined; // gone (killed by the fault harness, or exited)
  }
}

/** Pids whose command line contains every one of `needles` (e.g. a broker's properties file). */
export function pidsMatching(...needles: string[]): number[] {
  const pids: number[] = [];
  for (const entry of readdirSync("/proc")) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const cmdline = readFileSync(`/proc/${entry}/cmdline`, "utf8").replaceAll("\0", " ");
      if (needles.every((n) => cmdline.includes(n))) pids.push(Number(entry));
    } catch {
      // raced with its exit
    }
  }
  return pids;
}

/** Pids of processes named `comm` (e.g. every "postgres" backend, "redis-server"). */
export function pidsNamed(comm: string): number[] {
  const pids: number[] = [];
  for (const entry of readdirSync("/proc")) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      if (readFileSync(`/proc/${entry}/comm`, "utf8").trim() === comm) pids.push(Number(entry));
    } catch {
      // raced with its exit
    }
  }
  return pids;
}
