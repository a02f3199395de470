import { taskRepository } from "../../adapters/pg/task-repository.ts";
import type { AssignmentEngine } from "./assign-pending-tasks.ts";

/**
 * Puts the Redis token counter above every fencing token Postgres holds: at start, and
 * after a pass had a write refused as stale. A Redis that lost its data while dispatch
 * runs starts its counter from nothing, and every task whose stored token is higher (any
 * task released for reassignment) would be refused until the counter climbed back by
 * itself. Raising only ever moves the counter up, so it cannot weaken the fence.
 */
export async function raiseTokenFloor(engine: Pick<AssignmentEngine, "pool" | "locks">): Promise<void> {
  await engine.locks.raiseTokensAbove(await taskRepository.highestFencingToken(engine.pool));
}
