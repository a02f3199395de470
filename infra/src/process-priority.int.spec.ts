import { readdirSync, readFileSync } from "node:fs";
import type { ChildProcess } from "node:child_process";
import { afterEach, describe, expect, it } from "vitest";
import { backgroundPriorityOf, lowerThreadPriority, spawnAtPriority } from "./process-priority.ts";

/** Field n of a thread's /proc stat line (man 5 proc), counted after the command name as the manual does. */
function statField(pid: number, tid: number, n: number): number {
  const afterName = readFileSync(`/proc/${pid}/task/${tid}/stat`, "utf8").split(") ")[1]!.split(" ");
  return Number(afterName[n - 3]);
}
const readdirTasks = (pid: number) => readdirSync(`/proc/${pid}/task`).map(Number);
const niceOf = (pid: number, tid: number) => statField(pid, tid, 19);
const policyOf = (pid: number, tid: number) => statField(pid, tid, 41);

const SCHED_OTHER = 0;
const SCHED_IDLE = 5;

describe("background services' CPU priority", () => {
  const children: ChildProcess[] = [];
  afterEach(() => {
    for (const child of children.splice(0)) child.kill("SIGKILL");
  });

  const start = (priority: ReturnType<typeof backgroundPriorityOf>) => {
    // A Node program like the services: it starts its own threads (V8's, libuv's) after it starts.
    const child = spawnAtPriority(process.execPath, ["-e", "setTimeout(() => {}, 30000); console.log('up')"], priority, { stdio: ["ignore", "pipe", "ignore"] });
    children.push(child);
    return new Promise<number>((resolve) => child.stdout!.once("data", () => resolve(child.pid!)));
  };

  it("reads OMS_BACKGROUND_NICE as a niceness or idle, and names what is wrong otherwise", () => {
    expect(backgroundPriorityOf({})).toBe(0);
    expect(backgroundPriorityOf({ OMS_BACKGROUND_NICE: "10" })).toBe(10);
    expect(backgroundPriorityOf({ OMS_BACKGROUND_NICE: "idle" })).toBe("idle");
    expect(() => backgroundPriorityOf({ OMS_BACKGROUND_NICE: "20" })).toThrow('OMS_BACKGROUND_NICE must be a whole number from 0 to 19, or idle, got "20"');
    expect(() => backgroundPriorityOf({ OMS_BACKGROUND_NICE: "-5" })).toThrow(/from 0 to 19/);
    expect(() => backgroundPriorityOf({ OMS_BACKGROUND_NICE: "lowest" })).toThrow(/or idle, got "lowest"/);
  });

  it("runs a program under SCHED_IDLE, every thread of it, with the pid it was given", async () => {
    const pid = await start("idle");
    const threads = readdirTasks(pid).map((tid) => policyOf(pid, tid));
    expect(threads.length).toBeGreaterThan(1);
    expect(new Set(threads)).toEqual(new Set([SCHED_IDLE]));
  });

  it("gives a niceness to every thread, and leaves a program alone at 0", async () => {
    const niced = await start(7);
    expect(new Set(readdirTasks(niced).map((tid) => niceOf(niced, tid)))).toEqual(new Set([7]));
    const plain = await start(0);
    expect(new Set(readdirTasks(plain).map((tid) => niceOf(plain, tid)))).toEqual(new Set([0]));
    expect(policyOf(plain, plain)).toBe(SCHED_OTHER);
  });

  it("lowers one running thread, the main one by the process id, and leaves the threads already running alone", async () => {
    const idle = await start(0);
    lowerThreadPriority(idle, "idle");
    expect(policyOf(idle, idle)).toBe(SCHED_IDLE);
    const others = readdirTasks(idle).filter((tid) => tid !== idle);
    expect(others.length).toBeGreaterThan(0);
    expect(new Set(others.map((tid) => policyOf(idle, tid)))).toEqual(new Set([SCHED_OTHER]));

    const niced = await start(0);
    lowerThreadPriority(niced, 9);
    expect(niceOf(niced, niced)).toBe(9);
    expect(new Set(readdirTasks(niced).filter((tid) => tid !== niced).map((tid) => niceOf(niced, tid)))).toEqual(new Set([0]));
  });

  it("says which thread it could not lower", () => {
    expect(() => lowerThreadPriority(2 ** 22 + 12345, "idle")).toThrow(/could not lower thread 4206649 to priority idle with chrt/);
  });
});
