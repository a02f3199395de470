import type pg from "pg";
import type { dispatchApi } from "@oms/contracts";
import { NotFoundError } from "@oms/errors";
import { staffRepository } from "../../adapters/pg/staff-repository.ts";
import { worklistRepository, type WorklistEntry } from "../../adapters/pg/worklist-repository.ts";
import { worklistQueryOf } from "../../domain/worklist.ts";

/**
 * A worklist: one person's tasks, soonest due first, or a store's, oldest first (both
 * given: the person's tasks in that store). A person dispatch does not know is not found;
 * a store is anything tasks name, so one without tasks answers an empty list.
 */
export async function listTasks(pool: pg.Pool, request: dispatchApi.ListTasksRequest): Promise<dispatchApi.ListTasksResponse> {
  const query = worklistQueryOf(request);
  if (query.staffId !== undefined && !(await staffRepository.findById(pool, query.staffId))) {
    throw new NotFoundError("dispatch.staff-not-found", `no staff member ${query.staffId}`);
  }
  return { tasks: (await worklistRepository.list(pool, query)).map(taskSummaryOf) };
}

const iso = (d: Date | undefined) => d?.toISOString() ?? "";

function taskSummaryOf(entry: WorklistEntry): dispatchApi.TaskSummary {
  return {
    taskId: entry.taskId,
    orderId: entry.orderId,
    storeId: entry.storeId,
    kind: entry.kind,
    status: entry.status,
    staffId: entry.staffId ?? "",
    region: entry.region,
    priority: entry.priority,
    createdAt: entry.createdAt.toISOString(),
    acknowledgeBy: iso(entry.acknowledgeBy),
    appointmentFrom: iso(entry.appointment?.from),
    appointmentUntil: iso(entry.appointment?.until),
  };
}
