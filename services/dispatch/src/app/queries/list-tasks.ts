import type pg from "pg";
import type { dispatchApi } from "@oms/contracts";
import { NotFoundError, type FieldError } from "@oms/errors";
import { staffRepository } from "../../adapters/pg/staff-repository.ts";
import { worklistRepository, type WorklistEntry } from "../../adapters/pg/worklist-repository.ts";
import { worklistOrderOf, worklistQueryOf } from "../../domain/worklist.ts";
import { nextWorklistPageToken, worklistPageOf } from "./worklist-pages.ts";

/**
 * A worklist: one person's tasks, soonest due first, or a store's, oldest first (both
 * given: the person's tasks in that store). A person dispatch does not know is not found;
 * a store is anything tasks name, so one without tasks answers an empty list. A page at a time
 * (`nextPageToken` continues it, "" on the last page), so none is cut off unsaid.
 */
export async function listTasks(pool: pg.Pool, request: dispatchApi.ListTasksRequest): Promise<dispatchApi.ListTasksResponse> {
  const pageRefusals: FieldError[] = [];
  const page = worklistPageOf(worklistOrderOf(request), request, pageRefusals);
  const query = worklistQueryOf(request, pageRefusals);
  if (query.staffId !== undefined && !(await staffRepository.findById(pool, query.staffId))) {
    throw new NotFoundError("dispatch.staff-not-found", `no staff member ${query.staffId}`);
  }
  // One more than the page: whether a next page exists, without a count.
  const read = await worklistRepository.list(pool, query, { size: page.size + 1, after: page.after });
  const listed = read.slice(0, page.size);
  return { tasks: listed.map(taskSummaryOf), nextPageToken: nextWorklistPageToken(query.order, listed.at(-1)?.position, read.length > page.size) };
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
