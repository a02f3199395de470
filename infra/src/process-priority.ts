import { spawn, spawnSync, type ChildProcess, type SpawnOptions } from "node:child_process";

/**
 * How much of the CPU a background service may take when the machine is shared: a
 * niceness (0 leaves it alone, 19 is the lowest) or "idle", the SCHED_IDLE policy, under
 * which it runs only on a core nothing else wants and gives it up as soon as something
 * does. Nice 19 still takes its share of a busy core: at 2,000 orders/s offered the
 * services behind intake at nice 19 took ~40 % of the machine while requests queued for
 * seconds; under SCHED_IDLE they took ~35 % and the queue drained (docs/performance.md).
 */
export type CpuPriority = number | "idle";

/** OMS_BACKGROUND_NICE: 0–19, or `idle`; 0 when unset. */
export function backgroundPriorityOf(env: NodeJS.ProcessEnv): CpuPriority {
  const raw = env.OMS_BACKGROUND_NICE;
  if (raw === undefined || raw === "") return 0;
  if (raw === "idle") return "idle";
  const nice = Number(raw);
  if (!Number.isInteger(nice) || nice < 0 || nice > 19) {
    throw new Error(`OMS_BACKGROUND_NICE must be a whole number from 0 to 19, or idle, got ${JSON.stringify(raw)}`);
  }
  return nice;
}

/**
 * Spawns a program at a CPU priority. The priority is set before the program runs, by
 * `nice -n` (coreutils) or, for SCHED_IDLE, which has no Node API, by `chrt --idle 0`
 * (util-linux): each sets it and then execs the program in its own place (same pid), so
 * every thread the program starts has it. Renicing the child after spawning it would race
 * with the threads Node starts first.
 */
export function spawnAtPriority(executable: string, args: string[], priority: CpuPriority, options: SpawnOptions): ChildProcess {
  if (priority === 0) return spawn(executable, args, options);
  const [wrapper, ...settings] = priority === "idle" ? ["chrt", "--idle", "0"] : ["nice", "-n", String(priority)];
  assertRunnable(wrapper!);
  return spawn(wrapper!, [...settings, executable, ...args], options);
}

const runnable = new Set<string>();
function assertRunnable(wrapper: string): void {
  if (runnable.has(wrapper)) return;
  const probe = spawnSync(wrapper, ["--version"], { stdio: "ignore" });
  if (probe.error || probe.status !== 0) {
    throw new Error(`OMS_BACKGROUND_NICE needs ${wrapper} to start the background services at a lower priority, and it could not be run here`);
  }
  runnable.add(wrapper);
}

/**
 * Lowers one running thread to a priority (on Linux a niceness and a scheduling policy
 * belong to a thread; the main thread's id is the process id). Threads it starts later
 * inherit the priority; those already running keep theirs — which is how the bench puts
 * its own main thread behind intake once its load generator's thread is running.
 */
export function lowerThreadPriority(threadId: number, priority: CpuPriority): void {
  if (priority === 0) return;
  const [command, ...args] = priority === "idle" ? ["chrt", "--idle", "--pid", "0", String(threadId)] : ["renice", "-n", String(priority), "-p", String(threadId)];
  const result = spawnSync(command!, args, { encoding: "utf8" });
  if (result.error || result.status !== 0) {
    throw new Error(`could not lower thread ${threadId} to priority ${priority} with ${command}: ${result.error?.message ?? result.stderr.trim()}`);
  }
}
