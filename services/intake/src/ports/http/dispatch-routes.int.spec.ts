import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Topics } from "@oms/contracts";
import { eventually, publishEvents, type TestNamespace, callerHeaders } from "@oms/testing";
// Services are not packages: the cross-service tests start them in process from their sources.
import { assignmentRequested, randomStore } from "../../../../dispatch/src/testing/fixtures.ts";
import { expectProblem, httpClient } from "../../test-fixtures.ts";
import { startIntakeWithDispatch, type IntakeWithDispatch } from "./intake-with-dispatch.ts";

// The staff apps' dispatch steps and staff management through intake's REST API, asked of a
// real dispatch over gRPC: the gateway's roles, field errors, and dispatch's own rules and
// answers come back as problem details.
let under: IntakeWithDispatch;
let namespace: TestNamespace;
let api: ReturnType<typeof httpClient>;

beforeAll(async () => {
  under = await startIntakeWithDispatch();
  ({ namespace, api } = under);
});

afterAll(() => under?.stop());

const manager = callerHeaders("staff:m-1:store-manager");
const as = (staffId: string, role = "service-staff") => (callerHeaders(`staff:${staffId}:${role}`));
const allWeek = { start: "00:00", end: "24:00", days: [1, 2, 3, 4, 5, 6, 7] };
const hoursFromNow = (h: number) => new Date(Date.now() + h * 3600_000).toISOString();

async function storeWithInstallers(...ids: string[]) {
  const storeId = randomStore();
  for (const id of ids) {
    const member = { storeId, name: `Installer ${id}`, roles: ["service-staff"], skills: [{ skill: "installation", level: 2 }], regions: ["Jing'an"], capacity: 3, shift: allWeek, timezone: "Asia/Shanghai" };
    expect(await api.put(`/v1/staff/${storeId}-${id}`, member, manager)).toMatchObject({ status: 200, body: { staffId: `${storeId}-${id}`, active: true, absences: [] } });
  }
  return storeId;
}

/** A service task dispatch assigned; its id goes URL-encoded in paths (it may contain slashes). */
async function assignedServiceTask(storeId: string) {
  const request = assignmentRequested(storeId, { taskKind: "service", skills: ["installation"], taskId: `${crypto.randomUUID()}/task/1` });
  await publishEvents(namespace.name, Topics.fulfillmentOrder, [request]);
  const path = `/v1/tasks/${encodeURIComponent(request.payload.taskId)}`;
  const view = await eventually(async () => {
    const answer = await api.get(path, manager);
    return answer.status === 200 && answer.body.status === "assigned" ? answer.body : undefined;
  });
  return { taskId: request.payload.taskId, path, staffId: view.staffId as string };
}

describe("intake: the staff apps' dispatch steps, asked of dispatch", () => {
  it("takes a service visit from acknowledgement to its report, moved once, as the assignee", async () => {
    const storeId = await storeWithInstallers("a");
    const { taskId, path, staffId } = await assignedServiceTask(storeId);
    const installer = as(staffId);

    // The gateway's roles first, then dispatch's rule: only the assignee.
    expectProblem(await api.post(`${path}/acknowledgement`, undefined, callerHeaders("customer:c-42")), 403, "caller.not-permitted");
    expectProblem(await api.post(`${path}/acknowledgement`, undefined, as("someone-else")), 403, "dispatch.not-the-assignee");
    const acknowledged = await api.post(`${path}/acknowledgement`, undefined, installer);
    expect(acknowledged).toMatchObject({ status: 200, body: { taskId, status: "acknowledged", staffId } });
    expect(acknowledged.body.assignments[0]).not.toHaveProperty("fencingToken");

    // Field errors from the gateway; state errors from dispatch.
    expect((await api.post(`${path}/appointment`, { appointmentFrom: "tomorrow", needs: "" }, installer)).body.errors).toEqual([
      { field: "appointmentFrom", message: "must be an ISO 8601 date-time with a time zone, e.g. 2026-05-01T09:00:00+08:00" },
      { field: "appointmentUntil", message: "is required" },
      { field: "needs", message: "must not be empty" },
    ]);
    expectProblem(await api.post(`${path}/check-in`, {}, installer), 409, "dispatch.no-appointment");
    const appointment = { appointmentFrom: hoursFromNow(-0.5), appointmentUntil: hoursFromNow(1.5), needs: "air conditioner in the bedroom", toolsAndMaterials: ["drill"] };
    expect(await api.post(`${path}/appointment`, appointment, installer)).toMatchObject({ status: 200, body: { service: { needs: appointment.needs, toolsAndMaterials: ["drill"] } } });
    const late = await api.post(`${path}/check-in`, { lateCause: "traffic jam", lateMeasure: "starts on arrival" }, installer);
    expect(late).toMatchObject({ status: 200, body: { status: "in-progress", service: { exceptions: [{ kind: "late-arrival", cause: "traffic jam", measure: "starts on arrival" }] } } });

    // The customer was not there after all: a new time moves the visit, which is arrived at anew.
    const newTime = hoursFromNow(24);
    const noShowReport = { exceptionId: `${taskId}/no-show/1`, kind: "no-show", cause: "nobody opened the door", measure: "visit again tomorrow", newTime };
    expect((await api.post(`${path}/exceptions`, { ...noShowReport, exceptionId: undefined }, installer)).body.errors).toEqual([{ field: "exceptionId", message: "is required" }]);
    const noShow = await api.post(`${path}/exceptions`, noShowReport, installer);
    expect(noShow).toMatchObject({ status: 201, body: { status: "acknowledged", service: { appointmentFrom: newTime, checkedInAt: "" } } });
    // The app retries after a timeout: the same answer, the report not taken twice.
    const retried = await api.post(`${path}/exceptions`, noShowReport, installer);
    expect(retried).toMatchObject({ status: 201, body: { status: "acknowledged", service: { appointmentFrom: newTime } } });
    expect(retried.body.service.exceptions.map((e: { kind: string }) => e.kind)).toEqual(["late-arrival", "no-show"]);
    expectProblem(await api.post(`${path}/reschedule`, { appointmentFrom: hoursFromNow(26), appointmentUntil: hoursFromNow(28), cause: "x", measure: "y" }, as("r-1", "rider")), 403, "caller.not-permitted");
    const moved = await api.post(`${path}/reschedule`, { appointmentFrom: hoursFromNow(26), appointmentUntil: hoursFromNow(28), cause: "customer asked for the afternoon", measure: "moved" }, as("cs-1", "customer-service"));
    expect(moved).toMatchObject({ status: 200, body: { status: "acknowledged", staffId } });

    expect(await api.post(`${path}/check-in`, undefined, installer)).toMatchObject({ status: 200, body: { status: "in-progress" } });
    const record = { recordId: `${taskId}/record/0`, startedAt: hoursFromNow(-0.2), finishedAt: hoursFromNow(0), content: "installed, tested cooling", photoRefs: ["photo-after"] };
    expect((await api.post(`${path}/service-records`, { ...record, recordId: " " }, installer)).body.errors).toEqual([{ field: "recordId", message: "must not be empty" }]);
    expect(await api.post(`${path}/service-records`, record, installer)).toMatchObject({ status: 201, body: { service: { records: [{ recordId: record.recordId, content: record.content }] } } });
    expect((await api.post(`${path}/service-records`, record, installer)).body.service.records).toHaveLength(1);
    expectProblem(await api.post(`${path}/service-records`, { ...record, content: "something else" }, installer), 409, "dispatch.record-id-reused");
    const failed = await api.post(`${path}/service-reports`, { checklist: [{ item: "no leaks", passed: true }, { item: "wall cleaned", passed: false, note: "dust left" }] }, installer);
    expectProblem(failed, 400, "dispatch.self-inspection-failed");
    expect(failed.body.errors).toEqual([{ field: "checklist[1]", message: '"wall cleaned" did not pass: dust left' }]);
    // Money taken on the visit is checked with billing first (refund-routes.int.spec.ts): none here.
    const paid = { checklist: [{ item: "no leaks", passed: true }], attachmentRefs: ["report.pdf"], collectedMinor: 0 };
    expect((await api.post(`${path}/service-reports`, { ...paid, collectedMinor: -5 }, installer)).body.errors).toEqual([
      { field: "collectedMinor", message: "must be at least 0" },
    ]);
    const reported = await api.post(`${path}/service-reports`, paid, installer);
    expect(reported).toMatchObject({ status: 201, body: { status: "reported", service: { reports: [{ outcome: "awaiting-acceptance", collectedMinor: 0 }] } } });
  });

  it("declines with a reason, to someone else; unknown tasks are 404", async () => {
    const storeId = await storeWithInstallers("a", "b");
    const { path, staffId } = await assignedServiceTask(storeId);
    expect((await api.post(`${path}/decline`, {}, as(staffId))).body.errors).toEqual([{ field: "reason", message: "is required" }]);
    expect(await api.post(`${path}/decline`, { reason: "van in repair" }, as(staffId))).toMatchObject({ status: 200, body: { status: "pending", excludedStaffIds: [staffId] } });
    const other = await eventually(async () => {
      const answer = await api.get(path, manager);
      return answer.body.status === "assigned" ? answer.body.staffId : undefined;
    });
    expect(other).not.toBe(staffId);
    expectProblem(await api.get(`/v1/tasks/${encodeURIComponent("no-such/task/1")}`, manager), 404, "dispatch.task-not-found");
  });

  it("manages staff: roles, shifts, absences and the store's rules, field by field", async () => {
    const storeId = await storeWithInstallers("a");
    const person = `${storeId}-a`;
    expectProblem(await api.put(`/v1/staff/${person}/shift`, allWeek, as("r-1", "rider")), 403, "caller.not-permitted");
    expect((await api.put(`/v1/staff/${person}/shift`, { start: "8am", end: "18:00", days: [0] }, manager)).body.errors).toEqual([
      { field: "start", message: 'must be a time "HH:MM"' },
      { field: "days[0]", message: "must be at least 1" },
    ]);
    expect(await api.put(`/v1/staff/${person}/shift`, { start: "08:00", end: "18:00", days: [1, 2, 3] }, callerHeaders("staff:d-1:dispatcher"))).toMatchObject({
      status: 200,
      body: { shift: { start: "08:00", end: "18:00", days: [1, 2, 3] } },
    });
    const absence = await api.post(`/v1/staff/${person}/absences`, { from: hoursFromNow(24), until: hoursFromNow(48), reason: "training" }, manager);
    expect(absence).toMatchObject({ status: 201, body: { absences: [{ reason: "training" }] } });
    expectProblem(await api.post(`/v1/staff/nobody/absences`, { from: hoursFromNow(1), until: hoursFromNow(2) }, manager), 404, "dispatch.staff-not-found");

    expectProblem(await api.put(`/v1/stores/${storeId}/dispatch-settings`, { acknowledgeWithinSeconds: 600 }, callerHeaders("staff:d-1:dispatcher")), 403, "caller.not-permitted");
    expect(await api.put(`/v1/stores/${storeId}/dispatch-settings`, { acknowledgeWithinSeconds: 600, preferredStaffId: person }, manager)).toMatchObject({
      status: 200,
      body: { storeId, acknowledgeWithinSeconds: 600, preferredStaffId: person },
    });
    expect((await api.put(`/v1/stores/${storeId}/dispatch-settings`, { preferredStaffId: "nobody" }, manager)).status).toBe(404);
  });
});
