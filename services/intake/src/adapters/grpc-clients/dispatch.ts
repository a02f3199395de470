import { dispatchApi, type Actor } from "@oms/contracts";
import { createClient, type GrpcTarget } from "@oms/grpc";
import type { StoreScope } from "@oms/identity";

/** A service visit as its assignee agrees it with the customer. */
export interface Appointment {
  appointmentFrom: string;
  appointmentUntil: string;
  siteSurveyNeeded: boolean;
  needs: string;
  toolsAndMaterials: string[];
}

export interface Arrival {
  /** "" = now. */
  at: string;
  lateCause: string;
  lateMeasure: string;
}

export interface ServiceRecord {
  /** The caller's own id of the record: a retry with the same id writes nothing more. */
  recordId: string;
  startedAt: string;
  finishedAt: string;
  content: string;
  customerRemarks: string;
  photoRefs: string[];
}

export interface ServiceReport {
  checklist: { item: string; passed: boolean; note: string }[];
  attachmentRefs: string[];
  collectedMinor: number;
}

export interface ServiceExceptionReport {
  /** The caller's own id of the report: a retry with the same id reports nothing more. */
  exceptionId: string;
  kind: string;
  cause: string;
  measure: string;
  /** "" = no new time agreed yet. */
  newTime: string;
}

export interface VisitMove {
  appointmentFrom: string;
  appointmentUntil: string;
  cause: string;
  measure: string;
}

/** A worklist asked of dispatch: a person's tasks, a store's, or the person's in that store. */
export interface TaskListRequest {
  staffId: string;
  storeId: string;
  /** Empty: the tasks not yet ended. */
  statuses: string[];
  /** The page (twenty-ninth session): 0 and "" for the first of dispatch's default size. */
  pageSize: number;
  pageToken: string;
  /** pageSize's older name, passed on as the caller gave it (0: none). */
  limit: number;
}

/** A service window for an order's visit, booked as the caller. */
export interface WindowBookingRequest {
  orderId: string;
  storeId: string;
  skill: string;
  windowStart: string;
}

/**
 * What intake asks dispatch, the owner of tasks, staff and their assignment, on behalf of
 * a caller: the assignee's answers and steps on site, the desk's moves and worklists,
 * service windows, staff management.
 */
export interface DispatchTasks {
  /** The gateway's own read of a task (its store, its order), for no person. */
  getTask(taskId: string, correlationId: string): Promise<dispatchApi.TaskView>;
  /**
   * A task as `caller` may read it (its assignee and the desk), where their token says they work: the
   * scope itself, so chain-wide is said only of a chain-wide token (dispatch reads no stores as none).
   */
  getTaskForCaller(taskId: string, caller: Actor, scope: StoreScope, correlationId: string): Promise<dispatchApi.TaskView>;
  /** A member of staff's store, roles and skills (the gateway's store scope check); NOT_FOUND when unknown. */
  getStaff(staffId: string, correlationId: string): Promise<dispatchApi.StaffMember>;
  listTasks(request: TaskListRequest, correlationId: string): Promise<dispatchApi.ListTasksResponse>;
  getWorkload(storeId: string, correlationId: string): Promise<dispatchApi.GetWorkloadResponse>;
  listOverdueSteps(storeId: string, correlationId: string): Promise<dispatchApi.ListOverdueStepsResponse>;
  getKpis(request: dispatchApi.GetKpisRequest, correlationId: string): Promise<dispatchApi.Kpis>;
  findFreeWindows(request: dispatchApi.FindFreeWindowsRequest, correlationId: string): Promise<dispatchApi.FindFreeWindowsResponse>;
  bookWindow(request: WindowBookingRequest, caller: Actor, correlationId: string): Promise<dispatchApi.WindowBooking>;
  acknowledgeTask(taskId: string, caller: Actor, correlationId: string): Promise<dispatchApi.TaskView>;
  declineTask(taskId: string, caller: Actor, reason: string, correlationId: string): Promise<dispatchApi.TaskView>;
  confirmAppointment(taskId: string, caller: Actor, appointment: Appointment, correlationId: string): Promise<dispatchApi.TaskView>;
  checkIn(taskId: string, caller: Actor, arrival: Arrival, correlationId: string): Promise<dispatchApi.TaskView>;
  writeServiceRecord(taskId: string, caller: Actor, record: ServiceRecord, correlationId: string): Promise<dispatchApi.TaskView>;
  submitServiceReport(taskId: string, caller: Actor, report: ServiceReport, correlationId: string): Promise<dispatchApi.TaskView>;
  reportServiceException(taskId: string, caller: Actor, report: ServiceExceptionReport, correlationId: string): Promise<dispatchApi.TaskView>;
  rescheduleVisit(taskId: string, caller: Actor, move: VisitMove, correlationId: string): Promise<dispatchApi.TaskView>;
  upsertStaff(member: dispatchApi.StaffMember, correlationId: string): Promise<dispatchApi.StaffMember>;
  markAbsent(staffId: string, absence: { from: string; until: string; reason: string }, correlationId: string): Promise<dispatchApi.StaffMember>;
  setShift(staffId: string, shift: dispatchApi.Shift, correlationId: string): Promise<dispatchApi.StaffMember>;
  setStoreSettings(settings: dispatchApi.StoreSettings, correlationId: string): Promise<dispatchApi.StoreSettings>;
  close(): void;
}

const callerOf = (caller: Actor): dispatchApi.Caller => ({ kind: caller.kind, id: caller.id, role: caller.role });

/** Dispatch's WorkloadQuery and DispatchCommands over gRPC (proto/oms/dispatch/v1/workload_service.proto). */
export function dispatchTasksAt(peer: GrpcTarget, deadlineMs = 3_000): DispatchTasks {
  const query = createClient(dispatchApi.WorkloadQueryService, "oms.dispatch.v1.WorkloadQuery", peer);
  const commands = createClient(dispatchApi.DispatchCommandsService, "oms.dispatch.v1.DispatchCommands", peer);
  const step = (taskId: string, caller: Actor, correlationId: string) => ({ taskId, caller: callerOf(caller), correlationId });
  return {
    getTask: (taskId, correlationId) => query.getTask({ taskId }, { correlationId, deadlineMs }),
    getTaskForCaller: (taskId, caller, scope, correlationId) =>
      query.getTaskForCaller(
        { taskId, caller: callerOf(caller), ...(scope.kind === "chain" ? { stores: [], chainWide: true } : { stores: [...scope.stores], chainWide: false }) },
        { correlationId, deadlineMs },
      ),
    getStaff: (staffId, correlationId) => query.getStaff({ staffId }, { correlationId, deadlineMs }),
    listTasks: (request, correlationId) => query.listTasks(request, { correlationId, deadlineMs }),
    getWorkload: (storeId, correlationId) => query.getWorkload({ storeId }, { correlationId, deadlineMs }),
    listOverdueSteps: (storeId, correlationId) => query.listOverdueSteps({ storeId }, { correlationId, deadlineMs }),
    getKpis: (request, correlationId) => query.getKpis(request, { correlationId, deadlineMs }),
    findFreeWindows: (request, correlationId) => query.findFreeWindows(request, { correlationId, deadlineMs }),
    bookWindow: (request, caller, correlationId) => commands.bookWindow({ ...request, caller: callerOf(caller) }, { correlationId, deadlineMs }),
    acknowledgeTask: (taskId, caller, correlationId) => commands.acknowledgeTask(step(taskId, caller, correlationId), { correlationId, deadlineMs }),
    declineTask: (taskId, caller, reason, correlationId) => commands.declineTask({ ...step(taskId, caller, correlationId), reason }, { correlationId, deadlineMs }),
    confirmAppointment: (taskId, caller, appointment, correlationId) =>
      commands.confirmAppointment({ ...step(taskId, caller, correlationId), ...appointment }, { correlationId, deadlineMs }),
    checkIn: (taskId, caller, arrival, correlationId) => commands.checkIn({ ...step(taskId, caller, correlationId), ...arrival }, { correlationId, deadlineMs }),
    writeServiceRecord: (taskId, caller, record, correlationId) =>
      commands.writeServiceRecord({ ...step(taskId, caller, correlationId), ...record }, { correlationId, deadlineMs }),
    submitServiceReport: (taskId, caller, report, correlationId) =>
      commands.submitServiceReport({ ...step(taskId, caller, correlationId), ...report }, { correlationId, deadlineMs }),
    reportServiceException: (taskId, caller, report, correlationId) =>
      commands.reportServiceException({ ...step(taskId, caller, correlationId), ...report }, { correlationId, deadlineMs }),
    rescheduleVisit: (taskId, caller, move, correlationId) => commands.rescheduleVisit({ ...step(taskId, caller, correlationId), ...move }, { correlationId, deadlineMs }),
    // Staff management carries no caller or correlation id field: the gateway checked the caller, the id travels in the metadata.
    upsertStaff: (member, correlationId) => commands.upsertStaff(member, { correlationId, deadlineMs }),
    markAbsent: (staffId, absence, correlationId) => commands.markAbsent({ staffId, ...absence }, { correlationId, deadlineMs }),
    setShift: (staffId, shift, correlationId) => commands.setShift({ staffId, shift }, { correlationId, deadlineMs }),
    setStoreSettings: (settings, correlationId) => commands.setStoreSettings(settings, { correlationId, deadlineMs }),
    close: () => {
      query.close();
      commands.close();
    },
  };
}
