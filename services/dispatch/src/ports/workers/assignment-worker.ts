import { wakeableSleep } from "@oms/messaging";
import { listenForTaskSignals, type TaskSignalListener } from "../../adapters/pg/task-signals.ts";
import { assignPendingTasks, type AssignmentEngine, type PassResult } from "../../app/commands/assign-pending-tasks.ts";
import { sweepUnavailableAssignees, type StaffDeps } from "../../app/commands/manage-staff.ts";
import { raiseTokenFloor } from "../../app/commands/raise-token-floor.ts";
import { rebuildWorkloadCounters } from "../../app/commands/rebuild-workload-counters.ts";

export interface AssignmentWorkerOptions {
  engine: AssignmentEngine;
  /** Connection URL for LISTEN; the worker also polls, so it works without. */
  listenUrl: string;
  schema: string;
  pollIntervalMs: number;
  batchSize: number;
  /** How often people holding unacknowledged tasks are checked for having gone off shift or absent. */
  availabilitySweepMs: number;
  staffDeps: StaffDeps;
}

/**
 * Drives the assignment engine: a pass whenever a task is recorded (LISTEN/NOTIFY) and
 * every `pollIntervalMs` otherwise (queued tasks come due, notifications can be lost);
 * workload counters of stores whose tasks ended are rebuilt before the next pass. A full
 * batch is followed by another at once only if it took tasks off the queue (see
 * tookTasksOffTheQueue). Every instance runs one; the task locks keep them from working
 * the same task.
 */
export class AssignmentWorker {
  readonly #options: AssignmentWorkerOptions;
  readonly #sleep = wakeableSleep();
  #running = false;
  #loop: Promise<void> | undefined;
  #listener: TaskSignalListener | undefined;
  #lastSweep = 0;

  constructor(options: AssignmentWorkerOptions) {
    this.#options = options;
  }

  /** Puts Redis in line with Postgres (counters, token floor), then starts the loop. */
  async start(): Promise<void> {
    const { engine, listenUrl, schema } = this.#options;
    await raiseTokenFloor(engine);
    await rebuildWorkloadCounters(engine.pool, engine.counters, undefined, (storeId) => engine.staleCounterStores.add(storeId));
    this.#listener = await listenForTaskSignals(
      listenUrl,
      schema,
      {
        pendingTasks: () => this.#sleep.wake(),
        workloadChanged: (storeId) => {
          engine.staleCounterStores.add(storeId);
          this.#sleep.wake();
        },
      },
      engine.logger,
    );
    this.#running = true;
    this.#loop = this.#run();
  }

  /** Finishes the pass in flight and stops. */
  async stop(): Promise<void> {
    if (!this.#running) return;
    this.#running = false;
    this.#sleep.wake();
    await this.#loop;
    await this.#listener?.close();
  }

  async #run(): Promise<void> {
    const { engine, pollIntervalMs, batchSize } = this.#options;
    let failures = 0;
    while (this.#running) {
      try {
        await this.#rebuildStaleCounters();
        await this.#sweepUnavailable();
        const pass = await assignPendingTasks(engine, batchSize);
        failures = 0;
        if (pass.attempted > 0) engine.logger.debug({ ...pass.outcomes }, "assignment pass");
        if (pass.attempted === batchSize && tookTasksOffTheQueue(pass)) continue;
        await this.#sleep.sleep(pollIntervalMs);
      } catch (error) {
        failures++;
        const delay = Math.min(5_000, 100 * 2 ** failures);
        engine.logger.warn({ err: error, retryInMs: delay }, "assignment pass failed; retrying");
        await this.#sleep.sleep(delay);
      }
    }
  }

  async #sweepUnavailable(): Promise<void> {
    const { availabilitySweepMs, staffDeps, engine } = this.#options;
    if (Date.now() - this.#lastSweep < availabilitySweepMs) return;
    this.#lastSweep = Date.now();
    const withdrawn = await sweepUnavailableAssignees(staffDeps);
    if (withdrawn > 0) engine.logger.info({ withdrawn }, "unacknowledged tasks of people off shift or absent put back for reassignment");
  }

  async #rebuildStaleCounters(): Promise<void> {
    const { engine } = this.#options;
    if (engine.staleCounterStores.size === 0) return;
    const stores = [...engine.staleCounterStores];
    engine.staleCounterStores.clear();
    try {
      await rebuildWorkloadCounters(engine.pool, engine.counters, stores, (storeId) => engine.staleCounterStores.add(storeId));
    } catch (error) {
      for (const store of stores) engine.staleCounterStores.add(store);
      throw error;
    }
  }
}

/**
 * Whether the pass decided any of its tasks (assigned, or queued until later), so that a
 * full batch means more may be waiting behind it. Tasks locked by another replica (which
 * reads the same first batch) are still due: a pass that only met those, or refused
 * writes, would read the same tasks again at once and spin, so the worker waits instead.
 */
function tookTasksOffTheQueue(pass: PassResult): boolean {
  return (pass.outcomes.assigned ?? 0) + (pass.outcomes.queued ?? 0) > 0;
}
