import { z } from "zod";
import { dateTime, minor, optionalText, text } from "./schema-primitives.ts";

/** Paths, bodies and answers of the staff apps' dispatch steps and of staff management. */

export const TaskIdParamsSchema = z.strictObject({
  taskId: text(200).meta({ description: 'URL-encoded: "<orderId>/task/1" is sent as "<orderId>%2Ftask%2F1".' }),
});

export const StaffIdParamsSchema = z.strictObject({ staffId: text(64) });

export const DeclineSchema = z
  .strictObject({ reason: text(500).meta({ description: "Why the assignee gives the task back; it goes to someone else." }) })
  .meta({ title: "Decline" });

export const AppointmentSchema = z
  .strictObject({
    appointmentFrom: dateTime,
    appointmentUntil: dateTime,
    siteSurveyNeeded: z.boolean().default(false),
    needs: text(2_000).meta({ description: "What the customer needs, as agreed with them." }),
    toolsAndMaterials: z.array(text(200)).max(50).default([]),
  })
  .meta({ title: "Appointment", description: "The visit agreed with the customer; it sets the arrival and report deadlines." });

export const CheckInSchema = z
  .strictObject({
    at: dateTime.optional().meta({ description: "When the assignee arrived; now when absent." }),
    lateCause: optionalText(1_000).meta({ description: "For a late arrival: the cause the customer is told." }),
    lateMeasure: optionalText(1_000).meta({ description: "For a late arrival: what is done about it." }),
  })
  .meta({ title: "CheckIn" });

export const ServiceRecordSchema = z
  .strictObject({
    recordId: text(64).meta({
      description: "Your own id of this record, unique within the task: a retry with the same id writes nothing more and answers the task as it is; another record under it is refused (409).",
    }),
    startedAt: dateTime,
    finishedAt: dateTime,
    content: text(5_000).meta({ description: "What was done, truthfully." }),
    customerRemarks: optionalText(2_000),
    photoRefs: z.array(text(200)).max(50).default([]),
  })
  .meta({ title: "ServiceRecord" });

export const ServiceReportSchema = z
  .strictObject({
    checklist: z
      .array(z.strictObject({ item: text(200), passed: z.boolean(), note: optionalText(1_000) }))
      .min(1)
      .max(100)
      .meta({ description: "The self-inspection: the report is refused, naming each item, unless every item passed." }),
    attachmentRefs: z.array(text(200)).max(50).default([]),
    collectedMinor: minor().optional().meta({ description: "Money the customer paid on the visit (cash or card), in minor units; 0 when absent. It is recorded as the order's payment." }),
  })
  .meta({ title: "ServiceReport", description: "Self-inspection and delivery report; needs a service record of the current round." });

export const ServiceExceptionSchema = z
  .strictObject({
    exceptionId: text(64).meta({
      description:
        "Your own id of this report, unique within the task: a retry with the same id reports nothing more (no second message to the customer, no second move of the visit) and answers the task as it is; another report under it is refused (409).",
    }),
    kind: z.enum(["no-show", "quality-below-standard"]),
    cause: text(1_000).meta({ description: "What the customer is told went wrong." }),
    measure: text(1_000).meta({ description: "What is done about it." }),
    newTime: dateTime.optional().meta({ description: "The new time agreed with the customer; for a no-show the visit moves to it." }),
  })
  .meta({ title: "ServiceException" });

export const VisitMoveSchema = z
  .strictObject({
    appointmentFrom: dateTime,
    appointmentUntil: dateTime,
    cause: text(1_000).meta({ description: "Why the visit moves, as the customer is told it." }),
    measure: text(1_000).meta({ description: "What is done about it." }),
  })
  .meta({
    title: "VisitMove",
    description: "A visit with a confirmed appointment moves (a rework visit, after a no-show or a late arrival): its deadlines move with it.",
  });

const clockTime = z.string().regex(/^\d{2}:\d{2}$/, 'must be a time "HH:MM"');
export const ShiftSchema = z
  .strictObject({
    start: clockTime,
    end: clockTime.meta({ description: 'May be "24:00"; before start means the shift runs past midnight.' }),
    days: z.array(z.int().min(1).max(7)).min(1).max(7).meta({ description: "ISO weekdays the shift starts on, 1 = Monday." }),
  })
  .meta({ title: "Shift" });

export const StaffMemberSchema = z
  .strictObject({
    storeId: text(64),
    name: text(200),
    roles: z.array(text(64)).max(20).default([]),
    skills: z.array(z.strictObject({ skill: text(64), level: z.int().min(0).max(10) })).max(50).default([]),
    regions: z.array(text(100)).max(100).default([]),
    capacity: z.int().min(0).max(100).meta({ description: "How many active tasks the person may hold at once." }),
    shift: ShiftSchema,
    timezone: text(64).meta({ description: 'IANA time zone the shift is read in, e.g. "Asia/Shanghai".' }),
    active: z.boolean().default(true),
    teamId: optionalText(64),
  })
  .meta({ title: "StaffMember", description: "Adds or replaces a staff member; takes effect on the next assignment." });

export const AbsenceSchema = z
  .strictObject({ from: dateTime, until: dateTime, reason: optionalText(500) })
  .meta({ title: "Absence", description: "The person is away; their unacknowledged tasks it keeps them from are reassigned." });

export const DispatchSettingsSchema = z
  .strictObject({
    acknowledgeWithinSeconds: z.int().min(0).max(7 * 24 * 3600).default(0).meta({ description: "0 = the service's default." }),
    preferredStaffId: optionalText(64).meta({ description: "Offered the store's tasks first whenever eligible; empty = nobody pinned." }),
  })
  .meta({ title: "DispatchSettings" });

const AssignmentViewSchema = z.object({
  assignmentId: z.string(),
  staffId: z.string(),
  assignedAt: z.string(),
  acknowledgeBy: z.string(),
  outcome: z.string().meta({ description: '"open", "acknowledged", "declined", "missed", "withdrawn", "superseded", "done" or "cancelled".' }),
  outcomeReason: z.string(),
  outcomeAt: z.string(),
});

export const TaskViewSchema = z
  .object({
    taskId: z.string(),
    orderId: z.string(),
    storeId: z.string(),
    status: z.string().meta({ description: '"pending", "assigned", "acknowledged", "in-progress", "reported", "done" or "cancelled".' }),
    staffId: z.string(),
    assignmentId: z.string(),
    acknowledgeBy: z.string(),
    excludedStaffIds: z.array(z.string()),
    assignments: z.array(AssignmentViewSchema),
    origin: z.string().meta({ description: '"order" (the order\'s own work) or "after-sales" (the visit of an accepted repair or maintenance case, ADR 025; its steps are a service task\'s).' }),
    caseId: z.string().meta({ description: "After-sales visits: the case it is for; empty otherwise." }),
    caseKind: z.string().meta({ description: 'After-sales visits: "repair" or "maintenance".' }),
    goods: z.array(z.object({ sku: z.string(), quantity: z.int() })).meta({ description: "After-sales visits: the goods the case names." }),
    service: z
      .object({
        appointmentFrom: z.string(),
        appointmentUntil: z.string(),
        siteSurveyNeeded: z.boolean(),
        needs: z.string(),
        toolsAndMaterials: z.array(z.string()),
        confirmedAt: z.string(),
        checkedInAt: z.string(),
        lateMinutes: z.int(),
        round: z.int(),
        records: z.array(z.object({ recordId: z.string(), staffId: z.string(), startedAt: z.string(), finishedAt: z.string(), content: z.string(), round: z.int() })),
        reports: z.array(z.object({ reportId: z.string(), staffId: z.string(), submittedAt: z.string(), outcome: z.string(), round: z.int(), collectedMinor: z.int() })),
        exceptions: z.array(z.object({ exceptionId: z.string(), kind: z.string(), cause: z.string(), measure: z.string(), newTime: z.string(), reportedAt: z.string() })),
        booking: z.object({ windowStart: z.string(), windowEnd: z.string(), assignedStaffId: z.string() }).optional(),
      })
      .optional()
      .meta({ description: "Service tasks only." }),
  })
  .meta({ title: "Task" });

export const StaffViewSchema = StaffMemberSchema.extend({
  staffId: z.string(),
  absences: z.array(z.object({ from: z.string(), until: z.string(), reason: z.string() })),
}).meta({ title: "StaffView" });
