import type { FastifyInstance, FastifyRequest } from "fastify";
import type { DispatchTasks } from "../../adapters/grpc-clients/dispatch.ts";
import { taskListActionFor } from "../../domain/permissions.ts";
import { StaffIdParamsSchema } from "./dispatch-schemas.ts";
import { parseOrRefuse } from "./field-errors-of-zod.ts";
import { storeIdOf } from "./path-params.ts";
import type { NamedResource } from "./store-scope.ts";
import { permittedContextOf, requestContextOf } from "./request-context-of.ts";
import { KpisQuerySchema, TaskListQuerySchema } from "./worklist-schemas.ts";
import { kpisViewOf, overdueStepsViewOf, taskListViewOf, workloadViewOf } from "./worklist-views.ts";
import { roleFirst } from "./store-scope.ts";

export interface WorklistRouteDeps {
  dispatch: DispatchTasks;
}

const taskListQueryOf = (request: FastifyRequest) => {
  const { status, limit, pageSize, pageToken } = parseOrRefuse(TaskListQuerySchema, request.query, "query");
  // 0 and "" leave the size to dispatch, which owns it and refuses a token it did not give.
  return { statuses: status ?? [], limit: limit ?? 0, pageSize: pageSize ?? 0, pageToken: pageToken ?? "" };
};

/**
 * Whose KPIs are asked for: the `id` is a store's, a person's or a team's by `scope`. The store
 * scope holds a scoped reader to their stores and their stores' people; a team names no store (its
 * members may work at several), so its figures are for readers working chain-wide (undefined).
 * A query missing either is named nothing here and refused by the route field by field.
 */
function kpiSubjectOf({ scope, id }: Readonly<Record<string, unknown>>): readonly NamedResource[] | undefined {
  if (typeof id !== "string" || id === "") return [];
  if (scope === "store") return [{ kind: "storeId", id }];
  if (scope === "staff") return [{ kind: "staffId", id }];
  return scope === "team" ? undefined : [];
}

/** Whose list it is decides who may read it, so the raw path value is compared before anything is parsed. */
function taskListActionOf(request: FastifyRequest): "list-own-tasks" | "list-staff-tasks" {
  const asked = (request.params as { staffId?: unknown }).staffId;
  return taskListActionFor(requestContextOf(request).caller, typeof asked === "string" ? asked : "");
}

/**
 * What the people who work from worklists read, asked of dispatch: a rider's or
 * technician's own tasks; the desk's view of anyone's, of a store's queue, its workload and
 * its overdue steps; the KPIs of a person, team or store.
 */
export function registerWorklistRoutes(app: FastifyInstance, { dispatch }: WorklistRouteDeps): void {
  // The role before the store scope: another's list is the desk's, and a rider is told so whether or not the person works elsewhere.
  app.get("/v1/staff/:staffId/tasks", { config: { permittedFirst: taskListActionOf } }, async (request) => {
    const context = permittedContextOf(request, taskListActionOf(request));
    const { staffId } = parseOrRefuse(StaffIdParamsSchema, request.params, "staffId");
    return taskListViewOf(await dispatch.listTasks({ staffId, storeId: "", ...taskListQueryOf(request) }, context.correlationId));
  });

  app.get("/v1/stores/:storeId/tasks", roleFirst("list-store-tasks"), async (request) => {
    const context = permittedContextOf(request, "list-store-tasks");
    const storeId = storeIdOf(request);
    return taskListViewOf(await dispatch.listTasks({ staffId: "", storeId, ...taskListQueryOf(request) }, context.correlationId));
  });

  app.get("/v1/stores/:storeId/workload", roleFirst("view-workload"), async (request) => {
    const context = permittedContextOf(request, "view-workload");
    return workloadViewOf(await dispatch.getWorkload(storeIdOf(request), context.correlationId));
  });

  app.get("/v1/stores/:storeId/overdue-steps", roleFirst("list-overdue-steps"), async (request) => {
    const context = permittedContextOf(request, "list-overdue-steps");
    return overdueStepsViewOf(await dispatch.listOverdueSteps(storeIdOf(request), context.correlationId));
  });

  app.get("/v1/kpis", { config: { scopedQuery: kpiSubjectOf, permittedFirst: "view-kpis" } }, async (request) => {
    const context = permittedContextOf(request, "view-kpis");
    const { scope, id, from, until } = parseOrRefuse(KpisQuerySchema, request.query, "query");
    return kpisViewOf(await dispatch.getKpis({ scope, id, from: from ?? "", until: until ?? "" }, context.correlationId));
  });
}
