import type { dispatchApi } from "@oms/contracts";

/** Dispatch's worklists, workload, overdue steps, KPIs and service windows as the gateway shows them. */

export const taskListViewOf = (answer: dispatchApi.ListTasksResponse) => ({
  tasks: answer.tasks.map((t) => ({
    taskId: t.taskId,
    orderId: t.orderId,
    storeId: t.storeId,
    kind: t.kind,
    status: t.status,
    staffId: t.staffId,
    region: t.region,
    priority: t.priority,
    createdAt: t.createdAt,
    acknowledgeBy: t.acknowledgeBy,
    appointmentFrom: t.appointmentFrom,
    appointmentUntil: t.appointmentUntil,
  })),
  // Absent on the last page, as every paged list of the gateway answers it.
  ...(answer.nextPageToken ? { nextPageToken: answer.nextPageToken } : {}),
});

export const workloadViewOf = (answer: dispatchApi.GetWorkloadResponse) => ({
  staff: answer.staff.map((s) => ({ staffId: s.staffId, name: s.name, activeTasks: s.activeTasks, capacity: s.capacity })),
});

export const overdueStepsViewOf = (answer: dispatchApi.ListOverdueStepsResponse) => ({
  steps: answer.steps.map((s) => ({ taskId: s.taskId, orderId: s.orderId, step: s.step, staffId: s.staffId, dueAt: s.dueAt, level: s.level, overdueSince: s.overdueSince })),
});

export const kpisViewOf = (k: dispatchApi.Kpis) => ({
  scope: k.scope,
  id: k.id,
  from: k.from,
  until: k.until,
  acknowledgements: k.acknowledgements,
  acknowledgeSecondsAvg: k.acknowledgeSecondsAvg,
  acknowledgeSecondsP50: k.acknowledgeSecondsP50,
  checkIns: k.checkIns,
  onTimeArrivalRate: k.onTimeArrivalRate,
  reportsDecided: k.reportsDecided,
  firstTimeAcceptanceRate: k.firstTimeAcceptanceRate,
  reworkRate: k.reworkRate,
  tasksHandled: k.tasksHandled,
  tasksOpen: k.tasksOpen,
});

export const freeWindowsViewOf = (answer: dispatchApi.FindFreeWindowsResponse) => ({
  windows: answer.windows.map((w) => ({ start: w.start, end: w.end, capacity: w.capacity, booked: w.booked })),
});

export const windowBookingViewOf = (b: dispatchApi.WindowBooking) => ({
  bookingId: b.bookingId,
  storeId: b.storeId,
  skill: b.skill,
  windowStart: b.windowStart,
  windowEnd: b.windowEnd,
  orderId: b.orderId,
  bookedAt: b.bookedAt,
  assignedStaffId: b.assignedStaffId,
});
