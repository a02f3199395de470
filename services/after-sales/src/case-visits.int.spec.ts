import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { EventTypes, Topics, afterSalesVisitTaskId, newEvent } from "@oms/contracts";
import type { RunningService } from "@oms/service-kit";
import { eventually, publishEvents, type TestNamespace } from "@oms/testing";
import { agent, knownOrder, newStore, openRequest, unseen, startAfterSalesUnderTest, stopAfterSalesUnderTest, type AfterSalesClients } from "./test-fixtures.ts";

/**
 * A repair's visit on its case (ADR 025), on the real Kafka and Postgres: accepting the repair
 * asks for the visit; dispatch's news of its task (published here as dispatch would) is kept
 * on the case — assigned, acknowledged, the appointment, an exception, the report with who,
 * when and what was done — a copy republished counted once, orders' own tasks passed over;
 * resolving before the visit calls it off.
 */
let namespace: TestNamespace;
let afterSales: RunningService;
let clients: AfterSalesClients;
const storeId = newStore();
const tech = { kind: "staff", id: "tech-1", role: "service-staff" } as const;

beforeAll(async () => {
  ({ namespace, afterSales, clients } = await startAfterSalesUnderTest());
});

afterAll(() => stopAfterSalesUnderTest({ namespace, afterSales, clients }));

async function acceptedRepair() {
  const orderId = await knownOrder(afterSales.runtime.pool, { storeId, deliveredDaysAgo: 30 });
  const ask = openRequest(orderId, { kind: "repair", lines: [{ sku: "KETTLE-1", quantity: 1 }] });
  await clients.commands.openCase(ask);
  const accepted = await clients.commands.acceptCase({ caseId: ask.caseId, caller: agent, correlationId: "", assigneeStaffId: "tech-1", note: "" });
  return { orderId, caseId: ask.caseId, accepted };
}

function fromDispatch(orderId: string, taskId: string) {
  const origin = { producer: "dispatch" as const, orderId, storeId, actor: tech };
  return {
    assigned: (staffId: string) => newEvent(EventTypes.TaskAssigned, { taskId, assignmentId: randomUUID(), staffId, acknowledgeBy: new Date().toISOString(), fencingToken: 1 }, origin),
    acknowledged: (staffId: string) => newEvent(EventTypes.AssignmentAcknowledged, { taskId, assignmentId: "a", staffId }, origin),
    appointment: (from: string, until: string) =>
      newEvent(EventTypes.ServiceAppointmentConfirmed, { taskId, staffId: "tech-1", appointmentFrom: from, appointmentUntil: until, siteSurveyNeeded: false, needs: "it does not heat", toolsAndMaterials: [], confirmedAt: from }, origin),
    exception: (exceptionId: string) =>
      newEvent(EventTypes.ServiceException, { taskId, staffId: "tech-1", kind: "no-show", cause: "nobody home", measure: "called; tomorrow", newTime: "2026-12-10T02:00:00.000Z", exceptionId, reportedAt: "2026-12-09T02:30:00.000Z" }, origin),
    reported: (summary: string) =>
      newEvent(EventTypes.AfterSalesVisitReported, { taskId, caseId: "", reportId: "rep-1", staffId: "tech-1", submittedAt: "2026-12-10T03:00:00.000Z", summary, recordId: "rec-1", attachmentRefs: [], round: 0 }, origin),
  };
}

describe("a repair's visit on its case", () => {
  it("is asked for by the acceptance and follows dispatch's news to done, once each", async () => {
    const { orderId, caseId, accepted } = await acceptedRepair();
    const taskId = afterSalesVisitTaskId(caseId);
    expect(accepted).toMatchObject({ status: "accepted", visitTaskId: taskId, visitStatus: "requested", visitDoneAt: "" });
    const dispatch = fromDispatch(orderId, taskId);
    const exception = dispatch.exception("ex-1");
    // An order's own task on the same topic is none of the case's business.
    const ordersOwn = fromDispatch(orderId, `${orderId}/task`).assigned("rider-1");
    await publishEvents(namespace.name, Topics.dispatchAssignment, [
      ordersOwn,
      dispatch.assigned("tech-1"),
      dispatch.acknowledged("tech-1"),
      dispatch.appointment("2026-12-09T02:00:00.000Z", "2026-12-09T04:00:00.000Z"),
      exception,
      exception,
      dispatch.reported("replaced the thermostat; heats in 3 minutes"),
    ]);
    const done = await eventually(async () => {
      const c = await clients.query.getCase({ caseId, ...unseen });
      return c.visitStatus === "done" ? c : undefined;
    });
    expect(done).toMatchObject({
      status: "accepted",
      visitTaskId: taskId,
      visitStaffId: "tech-1",
      visitAppointmentFrom: "2026-12-09T02:00:00.000Z",
      visitAppointmentUntil: "2026-12-09T04:00:00.000Z",
      visitDoneAt: "2026-12-10T03:00:00.000Z",
      visitDoneBy: "tech-1",
      visitSummary: "replaced the thermostat; heats in 3 minutes",
      visitExceptions: [{ exceptionId: "ex-1", kind: "no-show", cause: "nobody home", newTime: "2026-12-10T02:00:00.000Z", staffId: "tech-1" }],
    });
    // Resolved knowing the outcome; the visit stays done.
    const resolved = await clients.commands.resolveCase({ caseId, caller: agent, correlationId: "", resolution: "repaired on site under warranty", cause: "product", refundMinor: 0 });
    expect(resolved).toMatchObject({ status: "resolved", visitStatus: "done", visitSummary: "replaced the thermostat; heats in 3 minutes" });
  });

  it("is called off when the case is resolved before it was done; later news of it changes nothing", async () => {
    const { orderId, caseId } = await acceptedRepair();
    const taskId = afterSalesVisitTaskId(caseId);
    const dispatch = fromDispatch(orderId, taskId);
    await publishEvents(namespace.name, Topics.dispatchAssignment, [dispatch.assigned("tech-1")]);
    await eventually(async () => ((await clients.query.getCase({ caseId, ...unseen })).visitStatus === "assigned" ? true : undefined));
    const resolved = await clients.commands.resolveCase({ caseId, caller: agent, correlationId: "", resolution: "exchanged for a new kettle", cause: "product", refundMinor: 0 });
    expect(resolved).toMatchObject({ status: "resolved", visitStatus: "called-off" });
    await publishEvents(namespace.name, Topics.dispatchAssignment, [dispatch.acknowledged("tech-1"), dispatch.assigned("tech-2")]);
    await new Promise((resolve) => setTimeout(resolve, 1_500));
    expect(await clients.query.getCase({ caseId, ...unseen })).toMatchObject({ visitStatus: "called-off", visitStaffId: "tech-1" });
  });
});
