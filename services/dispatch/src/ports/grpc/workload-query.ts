import type pg from "pg";
import { dispatchApi } from "@oms/contracts";
import { bindService } from "@oms/grpc";
import type { Logger } from "@oms/observability";
import type { WorkloadCounters } from "../../adapters/redis/workload-counters.ts";
import { findFreeWindows } from "../../app/queries/find-free-windows.ts";
import { getKpis } from "../../app/queries/get-kpis.ts";
import { getStaff } from "../../app/queries/get-staff.ts";
import { getTask, getTaskForCaller } from "../../app/queries/get-task.ts";
import { getWorkload } from "../../app/queries/get-workload.ts";
import { listOverdueSteps } from "../../app/queries/list-overdue-steps.ts";
import { listTasks } from "../../app/queries/list-tasks.ts";

export function workloadQueryService(deps: { pool: pg.Pool; counters: WorkloadCounters; logger: Logger; clock: () => Date; bookingWindowMs: number }) {
  return bindService("oms.dispatch.v1.WorkloadQuery", dispatchApi.WorkloadQueryService, {
    getWorkload: (request) => getWorkload(deps, request.storeId),
    getTask: (request) => getTask(deps.pool, request.taskId),
    getTaskForCaller: (request) => getTaskForCaller(deps.pool, request.taskId, request.caller, { stores: request.stores, chainWide: request.chainWide }),
    listOverdueSteps: (request) => listOverdueSteps(deps.pool, request.storeId),
    getKpis: (request) => getKpis(deps.pool, request, deps.clock()),
    findFreeWindows: (request) => findFreeWindows(deps.pool, request, deps.bookingWindowMs),
    listTasks: (request) => listTasks(deps.pool, request),
    getStaff: (request) => getStaff(deps.pool, request.staffId),
  });
}
