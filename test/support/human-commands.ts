import { clerk, customerService, finance, type HumanApi, type WaveItem, type WaveStep } from "./human-api.ts";
import { isSplit, type TrackedOrder } from "./order-tracker.ts";
import { answersComplaintLate, arrivesLate, clerkLateFor, complaintRefundOf, reportsLate, type StepSettings } from "./step-settings.ts";
import { callerHeaders } from "@oms/testing";

/**
 * The commands behind the people's steps (human-steps.ts): who acts for an order, the
 * requests they send, and the steps that take more than one call (a clerk's wave, each
 * part of a split order, a technician's visit on an appointment).
 */

/** How long a person held the order after starting a step (a clerk filling a wave). */
export interface HeldFor {
  heldMs: number;
}

// The order's own customer, as it names them (a guest, by an id of the order's own).
export const customerOf = (order: TrackedOrder) => ({ kind: "customer", id: order.customerId || `bench-${order.orderId.slice(0, 8)}`, role: "customer" });
export const assigneeOf = (order: TrackedOrder) => ({
  kind: "staff",
  id: order.staffId ?? "bench-rider",
  role: order.kind === "service" ? "service-staff" : order.fulfillmentMethod === "pickup" ? "counter" : "rider",
});
/** The rider or the technician takes the money at the door when the customer pays on delivery. */
export const collectsAtDoor = (order: TrackedOrder) => !order.prepaid && (order.paymentMethod === "cash" || order.paymentMethod === "card-on-delivery");

export const isGoods = (order: TrackedOrder) => order.kind === "goods";
export const ships = (order: TrackedOrder) => order.kind === "goods" && order.fulfillmentMethod !== "pickup";

/** A gRPC command is offered unless the server answers UNIMPLEMENTED (code 12). */
export async function grpcOffers(call: () => Promise<unknown>): Promise<boolean> {
  try {
    await call();
    return true;
  } catch (error) {
    return (error as { code?: unknown }).code !== 12;
  }
}

export const probeOrder: TrackedOrder = {
  orderId: "00000000-0000-4000-8000-000000000000",
  kind: "goods",
  customerId: "",
  fulfillmentMethod: "ship",
  paymentMethod: "third-party",
  prepaid: true,
  grandTotalMinor: 1,
  currency: "CNY",
  status: "",
  reachedAt: new Map(),
  reservationId: "probe-reservation",
  tasksRequested: new Set(),
  assignees: new Map(),
  acknowledged: new Set(),
  firstAssignees: new Map(),
};

/** A split order's parts as the store's people see them on the order (intake's GET /v1/orders/{id}); each part's rider is named to staff only. */
interface SeenPart {
  partId: string;
  stage: string;
  reservationId: string;
  assigneeStaffId?: string;
}

async function partsOf(api: HumanApi, order: TrackedOrder): Promise<SeenPart[]> {
  // The dispatch desk reads it: the customer is shown no part's rider (ADR 022, twenty-sixth-session addendum).
  const seen = await api.intake.get(`/v1/orders/${order.orderId}`, callerHeaders("staff:bench-dispatcher:dispatcher"));
  const parts = (seen.body as { parts?: SeenPart[] }).parts;
  if (!parts) throw new Error(`split order ${order.orderId} shows no parts (answered ${seen.status})`);
  return parts;
}

/**
 * The same step for each part of a split order that is where the step starts: a clerk
 * picks every part's reservation, a rider delivers every part that has shipped. A retry
 * finds the parts already done moved on and leaves them.
 */
export async function forEachPart(api: HumanApi, order: TrackedOrder, stage: string, act: (part: SeenPart) => Promise<unknown>): Promise<void> {
  for (const part of await partsOf(api, order)) if (part.stage === stage) await act(part);
}

/** Clerks in waves need WorkWave; one by one, the step's own command. */
export function clerkStepOffered(api: HumanApi, single: () => Promise<unknown>): Promise<boolean> {
  const wave = () => api.warehouse.workWave({ step: "pick", items: [{ reservationId: "probe", parcels: 0, carrier: "", trackingNumber: "" }], caller: clerk, correlationId: "" });
  return grpcOffers(api.waves ? wave : single);
}

/**
 * A warehouse clerk's step for one reservation: in the clerk's next wave when they work
 * in waves (held until it goes round), else a call of its own.
 */
async function clerkStep(api: HumanApi, step: WaveStep, item: WaveItem): Promise<HeldFor> {
  if (api.waves) return { heldMs: await api.waves.clerks.take(step, item) };
  const request = { parcels: 0, carrier: "", trackingNumber: "", ...item, caller: clerk, correlationId: "" };
  if (step === "pick") await api.warehouse.pickReservation(request);
  else if (step === "pack") await api.warehouse.packReservation(request);
  else await api.warehouse.shipReservation(request);
  return { heldMs: 0 };
}

/** The clerk's step for each part of a split order at `stage` (side by side: they may share a wave), else for the order's reservation. */
export async function clerkStepForOrder(api: HumanApi, order: TrackedOrder, stage: string, step: WaveStep, itemOf: (reservationId: string, partId: string) => WaveItem): Promise<HeldFor> {
  if (!isSplit(order)) return clerkStep(api, step, itemOf(order.reservationId ?? "", ""));
  const parts = (await partsOf(api, order)).filter((part) => part.stage === stage);
  const held = await Promise.all(parts.map((part) => clerkStep(api, step, itemOf(part.reservationId, part.partId))));
  return { heldMs: Math.max(0, ...held.map((h) => h.heldMs)) };
}

/**
 * A clerk drawn to be late for this step of the order (step-settings.ts) starts it only
 * `lateByMs` after the order reached `stage`, past the warehouse's deadline and its
 * escalation; a retry after that waits no more.
 */
export async function clerkTakesTheirTime(order: TrackedOrder, stage: string, step: WaveStep, lateClerks: StepSettings["lateClerks"]): Promise<void> {
  if (!lateClerks || clerkLateFor(order, lateClerks.share) !== step) return;
  await waitUntil((order.reachedAt.get(stage) ?? Date.now()) + lateClerks.lateByMs);
}

/** What a technician has done of a visit so far, so that a retry repeats it rather than doing it anew. */
export interface VisitSoFar {
  appointedAt: number;
  /** When the work ran, as the service record says (a retry writes the same record under the same id). */
  served?: { startedAt: string; finishedAt: string };
}

/**
 * A technician's visit on an appointment, `lengthMs` long from now (confirmed once per
 * assignee: a retry after a refusal does not move it); for a technician drawn to be late,
 * a wait past the arrival deadline; the check-in; the service record under an id of the
 * assignee's own; for one drawn to report late, a wait past the report's deadline; then
 * the self-inspection and report, with the money taken at the door, on which the order is
 * delivered.
 */
export async function visitOnAppointment(api: HumanApi, order: TrackedOrder, appointments: NonNullable<StepSettings["appointments"]>, visits: Map<string, VisitSoFar>): Promise<void> {
  const visit = { taskId: order.taskId ?? "", caller: assigneeOf(order), correlationId: "" };
  const key = `${visit.taskId} ${visit.caller.id}`;
  if (!visits.has(key)) {
    const from = new Date();
    await api.dispatch.confirmAppointment({
      ...visit,
      appointmentFrom: from.toISOString(),
      appointmentUntil: new Date(from.getTime() + appointments.lengthMs).toISOString(),
      siteSurveyNeeded: false,
      needs: "as ordered",
      toolsAndMaterials: [],
    });
    visits.set(key, { appointedAt: from.getTime() });
  }
  const sofar = visits.get(key)!;
  await waitUntil(arrivesLate(order, appointments.lateShare) ? sofar.appointedAt + appointments.lateByMs : 0);
  await api.dispatch.checkIn({ ...visit, at: "", lateCause: "", lateMeasure: "" });
  sofar.served ??= { startedAt: new Date().toISOString(), finishedAt: new Date().toISOString() };
  await api.dispatch.writeServiceRecord({
    ...visit,
    recordId: `${visit.taskId}/record/${visit.caller.id}`,
    ...sofar.served,
    content: "served as ordered",
    customerRemarks: "",
    photoRefs: [],
  });
  await waitUntil(reportsLate(order, appointments.lateReportShare) ? sofar.appointedAt + appointments.reportLateByMs : 0);
  await api.dispatch.submitServiceReport({
    ...visit,
    checklist: [{ item: "done as ordered", passed: true, note: "" }],
    attachmentRefs: [],
    collectedMinor: collectsAtDoor(order) ? order.grandTotalMinor : 0,
  });
}

/**
 * A customer complains about a closed order (ADR 017); customer service takes the complaint
 * on, answers it (some only past the store's response time) and resolves it with part of the
 * price refunded. Each call follows the case as after-sales answers it, so a retry after a
 * lost answer picks up where the case stands: the opening under the customer's id answers
 * the case as it is, and a step already taken is not taken again.
 */
export async function complaintHandled(api: HumanApi, order: TrackedOrder, complaints: NonNullable<StepSettings["complaints"]>): Promise<void> {
  const caseId = `complaint-${order.orderId}`;
  const desk = { caseId, caller: customerService, correlationId: "" };
  let view = await api.afterSales.openCase({
    caseId,
    orderId: order.orderId,
    caller: customerOf(order),
    correlationId: "",
    kind: "complaint",
    channel: "online",
    description: "the parcel came two days late",
    lines: [],
  });
  if (view.status === "open") view = await api.afterSales.acceptCase({ ...desk, assigneeStaffId: customerService.id, note: "" });
  if (!view.answeredAt) {
    await waitUntil(answersComplaintLate(order, complaints.lateShare) ? Date.parse(view.openedAt) + complaints.lateByMs : 0);
    view = await api.afterSales.answerComplaint({ ...desk, answer: "We are sorry for the delay." });
  }
  if (view.status === "accepted") {
    await api.afterSales.resolveCase({ ...desk, resolution: "apologised; part of the price refunded", cause: "carrier", refundMinor: complaintRefundOf(order) });
  }
}

async function waitUntil(at: number): Promise<void> {
  const wait = at - Date.now();
  if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
}

export function delivery(order: TrackedOrder, place: string, method: string) {
  return {
    orderId: order.orderId,
    caller: assigneeOf(order),
    deliveredAt: new Date().toISOString(),
    place,
    method,
    proofKind: "signature",
    proofRef: `sig-${order.orderId.slice(0, 8)}`,
    collectedMinor: collectsAtDoor(order) ? order.grandTotalMinor : 0,
    partId: "",
    correlationId: "",
  };
}

export function goodwill(order: TrackedOrder, amountMinor: number) {
  return {
    orderId: order.orderId,
    amountMinor,
    reason: "goodwill: the delivery was late",
    reference: `GOODWILL-${order.orderId}`,
    callerKind: finance.kind,
    callerId: finance.id,
    callerRole: finance.role,
  };
}

export function payment(order: TrackedOrder) {
  return {
    orderId: order.orderId,
    amount: { minor: order.grandTotalMinor, currency: order.currency || "CNY" },
    method: "bank-transfer",
    reference: `BANK-${order.orderId}`,
    callerKind: finance.kind,
    callerId: finance.id,
    callerRole: finance.role,
  };
}
