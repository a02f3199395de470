import { permissions, type GatewayAction } from "../../domain/permissions.ts";
import { body, common, forbidden, jsonSchemaOf, ok, orderParameters, problem, queryParametersOf, storeParameters } from "./openapi-parts.ts";
import { FreeWindowsQuerySchema, FreeWindowsSchema, ServiceBookingSchema, WindowBookingSchema } from "./service-booking-schemas.ts";
import { KpisQuerySchema, KpisSchema, OverdueStepsSchema, TaskListQuerySchema, TaskListSchema, WorkloadSchema } from "./worklist-schemas.ts";

const unavailable = problem("Dispatch cannot answer now (retry after Retry-After).");
const who = (action: GatewayAction) => permissions[action].who;
const badQuery = problem("Wrong query parameters, one message each.");
const pagedList =
  "A page at a time: nextPageToken (absent on the last page) continues it as pageToken, so a list longer than a page is read whole; " +
  "a pageToken dispatch did not give, or pageSize and limit (its older name) both, is a 400 naming the field.";
const staffIdParameter = { name: "staffId", in: "path", required: true, schema: { type: "string" }, example: "staff-zhang-min" };
const storeIdParameter = { $ref: "#/components/parameters/StoreId" };

/** A read of dispatch's WorkloadQuery for the desk (or a person's own list). */
const read = (action: GatewayAction, operationId: string, summary: string, description: string, parameters: object[], answer: string, notFound?: string) => ({
  get: {
    operationId,
    summary,
    description: `${description} Dispatch's WorkloadQuery. Who: ${who(action)}.`,
    parameters,
    responses: {
      "200": ok(summary, answer),
      "400": badQuery,
      "403": forbidden(who(action)),
      ...(notFound ? { "404": problem(notFound) } : {}),
      "503": unavailable,
    },
  },
});

/** Worklists, workload, overdue steps and KPIs; finding and booking service windows. */
export function worklistPaths() {
  const taskListParameters = queryParametersOf(TaskListQuerySchema);
  return {
    "/v1/staff/{staffId}/tasks": read(
      "list-staff-tasks",
      "listStaffTasks",
      "A person's tasks, soonest due first",
      `What a rider or technician has to do: their appointment, else the acknowledgement deadline, else when the task was created, ` +
        `comes first. The person reads their own (${who("list-own-tasks")}); anyone else's is for the desk. ${pagedList}`,
      [staffIdParameter, ...taskListParameters, ...common],
      "TaskList",
      "No such staff member.",
    ),
    "/v1/stores/{storeId}/tasks": read(
      "list-store-tasks",
      "listStoreTasks",
      "A store's tasks by status, oldest first",
      `The desk's queue: tasks waiting for someone, tasks in progress; what has waited longest comes first. A store without tasks has an empty list. ${pagedList}`,
      [storeIdParameter, ...taskListParameters, ...common],
      "TaskList",
    ),
    "/v1/stores/{storeId}/workload": read(
      "view-workload",
      "getWorkload",
      "The store's active staff with the tasks they hold",
      "From dispatch's counters, or Postgres when those cannot be read.",
      storeParameters,
      "Workload",
    ),
    "/v1/stores/{storeId}/overdue-steps": read(
      "list-overdue-steps",
      "listOverdueSteps",
      "Steps of the store's tasks run late",
      "Arrivals and reports past their deadline and not done, and missed acknowledgements until someone acknowledges; with how far each was escalated.",
      storeParameters,
      "OverdueSteps",
    ),
    "/v1/kpis": read(
      "view-kpis",
      "getKpis",
      "A person's, team's or store's dispatch KPIs",
      "Acknowledgement time, on-time arrival, first-time acceptance, rework and workload over [from, until). Staff held to stores read their stores' " +
        "figures and their stores' people's (403 caller.out-of-store-scope otherwise); a team's only staff working chain-wide (403 caller.store-scope-unknown).",
      [...queryParametersOf(KpisQuerySchema), ...common],
      "Kpis",
    ),
    "/v1/stores/{storeId}/free-windows": {
      get: {
        operationId: "findFreeWindows",
        summary: "The store's service windows with room for a visit needing a skill",
        description: `Dispatch's FindFreeWindows: capacity from the people on shift with the skill, less what is booked. Who: ${who("find-free-windows")}.`,
        parameters: [storeIdParameter, ...queryParametersOf(FreeWindowsQuerySchema), ...common],
        responses: { "200": ok("The windows with room.", "FreeWindows"), "400": problem("Wrong query parameters (until before from, more than 31 days), one message each."), "403": forbidden(who("find-free-windows")), "503": unavailable },
      },
    },
    "/v1/orders/{orderId}/service-booking": {
      post: {
        operationId: "bookServiceWindow",
        summary: "Book (or move) the window of a service order's visit",
        description:
          "Dispatch's BookWindow at the order's store: one booking per order, booking again moves it; the visit goes to someone on shift " +
          `for the whole window with no other visit then, and the booking says who. Who: ${who("book-service-window")}.`,
        parameters: orderParameters,
        requestBody: body("ServiceBooking", { skill: "cleaning", windowStart: "2026-12-01T02:00:00Z" }),
        responses: {
          "200": ok("The booking.", "WindowBooking"),
          "400": problem("Wrong fields (not the start of a window, in the past), one message each."),
          "403": forbidden(who("book-service-window")),
          "404": problem("No such order."),
          "409": problem("The window is full (the message names the next free windows), or the order is not a service order."),
          "503": unavailable,
        },
      },
    },
  };
}

export const worklistSchemas = () => ({
  TaskList: jsonSchemaOf(TaskListSchema, "output"),
  Workload: jsonSchemaOf(WorkloadSchema, "output"),
  OverdueSteps: jsonSchemaOf(OverdueStepsSchema, "output"),
  Kpis: jsonSchemaOf(KpisSchema, "output"),
  FreeWindows: jsonSchemaOf(FreeWindowsSchema, "output"),
  ServiceBooking: jsonSchemaOf(ServiceBookingSchema, "input"),
  WindowBooking: jsonSchemaOf(WindowBookingSchema, "output"),
});
