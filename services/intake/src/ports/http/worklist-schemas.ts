import { z } from "zod";
import { nextPageTokenSchema } from "./disclosure-schemas.ts";
import { dateTime, pageToken, queryInt, text } from "./schema-primitives.ts";

/** Queries and answers of the worklists: a person's tasks, a store's queue, workload, overdue steps, KPIs. */

export const taskStatuses = ["pending", "assigned", "acknowledged", "in-progress", "reported", "done", "cancelled"] as const;

export const TaskListQuerySchema = z.strictObject({
  status: z
    .string()
    .max(200)
    .transform((list) => list.split(",").map((s) => s.trim()).filter((s) => s !== ""))
    .pipe(z.array(z.enum(taskStatuses)))
    .optional()
    .meta({ description: `Comma-separated statuses (${taskStatuses.join(", ")}); the tasks not yet ended when absent.` }),
  pageSize: queryInt(1, 500).optional().meta({ description: "At most this many tasks on the page, 1 to 500, 100 when absent." }),
  pageToken: pageToken.optional().meta({ description: "The nextPageToken of the previous page (the same list and statuses)." }),
  limit: queryInt(1, 500)
    .optional()
    .meta({ description: "pageSize's name before the list was paged, kept for callers built then: give one of the two. The page it sizes ends with a nextPageToken as any." }),
});

export const KpisQuerySchema = z.strictObject({
  scope: z.enum(["staff", "team", "store"]).meta({ description: "Whose figures: a person's, a team's (its members' work) or a store's (its tasks')." }),
  id: text(64).meta({ description: "The staff id, team id or store id." }),
  from: dateTime.optional().meta({ description: "Start of the period; 30 days before until when absent." }),
  until: dateTime.optional().meta({ description: "End of the period (excluded); now when absent." }),
});

export const TaskSummarySchema = z.object({
  taskId: z.string(),
  orderId: z.string(),
  storeId: z.string(),
  kind: z.string().meta({ description: '"delivery", "pickup-handover" or "service".' }),
  status: z.string(),
  staffId: z.string().meta({ description: "Who holds it; empty while nobody does." }),
  region: z.string(),
  priority: z.int().meta({ description: "Higher goes first." }),
  createdAt: z.string(),
  acknowledgeBy: z.string().meta({ description: "The current assignment's deadline, while it is not acknowledged; empty otherwise." }),
  appointmentFrom: z.string().meta({ description: "Service tasks: the confirmed appointment; empty otherwise." }),
  appointmentUntil: z.string(),
});

export const TaskListSchema = z
  .object({ tasks: z.array(TaskSummarySchema), nextPageToken: nextPageTokenSchema })
  .meta({
    title: "TaskList",
    description: "A person's tasks soonest due first (appointment, else acknowledgement deadline, else creation); a store's oldest first; the task id breaking a tie; a page at a time.",
  });

export const WorkloadSchema = z
  .object({
    staff: z.array(z.object({ staffId: z.string(), name: z.string(), activeTasks: z.int(), capacity: z.int().meta({ description: "Active tasks the person may hold at once." }) })),
  })
  .meta({ title: "Workload", description: "The store's active staff with the tasks they hold now." });

export const OverdueStepsSchema = z
  .object({
    steps: z.array(
      z.object({
        taskId: z.string(),
        orderId: z.string(),
        step: z.string().meta({ description: '"arrival", "report" or "acknowledgement".' }),
        staffId: z.string(),
        dueAt: z.string(),
        level: z.int().meta({ description: "1 = the assignee was warned; 2 = escalated to the store manager." }),
        overdueSince: z.string(),
      }),
    ),
  })
  .meta({ title: "OverdueSteps", description: "Steps of the store's tasks whose deadline passed and that are still not done." });

export const KpisSchema = z
  .object({
    scope: z.string(),
    id: z.string(),
    from: z.string(),
    until: z.string(),
    acknowledgements: z.int(),
    acknowledgeSecondsAvg: z.number(),
    acknowledgeSecondsP50: z.number(),
    checkIns: z.int(),
    onTimeArrivalRate: z.number(),
    reportsDecided: z.int(),
    firstTimeAcceptanceRate: z.number(),
    reworkRate: z.number(),
    tasksHandled: z.int().meta({ description: "Tasks done in the period." }),
    tasksOpen: z.int().meta({ description: "Tasks held right now." }),
  })
  .meta({ title: "Kpis", description: "Acknowledgement time, on-time arrival, first-time acceptance, rework and workload over the period; rates of nothing are 0." });
