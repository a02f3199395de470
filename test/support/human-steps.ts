import { clerk, finance, type HumanApi, type WaveItem, type WaveStep } from "./human-api.ts";
import { isSplit, type TrackedOrder } from "./order-tracker.ts";
import { arrivesLate, awaitsAnotherAssignee, cancelsBeforeShipping, goodwillOf, neverCollected, neverConfirms, staysSilent, type StepSettings } from "./step-settings.ts";

/**
 * What people do to an order, as a table: when an order reaches status `when`, the
 * person `who` does `what` through the system's public API after thinking for a while.
 * A row plugs in by itself: before the load starts, each row's API is probed, and rows
 * whose command the running system does not offer yet are reported as unavailable.
 * To add a step (an acknowledgement, a service record, a review), add a row.
 */

export interface HumanStep {
  name: string;
  /** The status (or fact, e.g. "settlement.prepared") that lets the person act. */
  when: string;
  /** The status the step moves the order to: reaching it means the step is done. */
  leadsTo: string;
  who: string;
  applies(order: TrackedOrder): boolean;
  /** Does the running system offer this step's command? */
  offered(api: HumanApi): Promise<boolean>;
  /** Takes the step; may answer how long the person held the order after starting (a clerk filling a wave). */
  act(api: HumanApi, order: TrackedOrder): Promise<void | HeldFor>;
  /**
   * Does the order wait for this step? Unset: it does. A step taken beside the order's way
   * (a rider acknowledging while the clerk picks) holds nothing up, so its time is not
   * taken off the order's pipeline time.
   */
  holdsOrder?(order: TrackedOrder): boolean;
  /**
   * Where the order ends when its person never takes this step (a customer who never
   * confirms: cancelled by rule); unset or undefined when they do, or the step does not apply.
   */
  endsWithout?(order: TrackedOrder): string | undefined;
}

export interface HeldFor {
  heldMs: number;
}

// The order's own customer, as it names them (a guest, by an id of the order's own).
const customerOf = (order: TrackedOrder) => ({ kind: "customer", id: order.customerId || `bench-${order.orderId.slice(0, 8)}`, role: "customer" });
const assigneeOf = (order: TrackedOrder) => ({
  kind: "staff",
  id: order.staffId ?? "bench-rider",
  role: order.kind === "service" ? "service-staff" : order.fulfillmentMethod === "pickup" ? "counter" : "rider",
});
/** The rider or the technician takes the money at the door when the customer pays on delivery. */
const collectsAtDoor = (order: TrackedOrder) => !order.prepaid && (order.paymentMethod === "cash" || order.paymentMethod === "card-on-delivery");

const isGoods = (order: TrackedOrder) => order.kind === "goods";
const ships = (order: TrackedOrder) => order.kind === "goods" && order.fulfillmentMethod !== "pickup";

/** A gRPC command is offered unless the server answers UNIMPLEMENTED (code 12). */
async function grpcOffers(call: () => Promise<unknown>): Promise<boolean> {
  try {
    await call();
    return true;
  } catch (error) {
    return (error as { code?: unknown }).code !== 12;
  }
}

const probeOrder: TrackedOrder = {
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

/** A split order's parts as the people see them on the order (intake's GET /v1/orders/{id}). */
interface SeenPart {
  partId: string;
  stage: string;
  reservationId: string;
  assigneeStaffId?: string;
}

async function partsOf(api: HumanApi, order: TrackedOrder): Promise<SeenPart[]> {
  const seen = await api.intake.get(`/v1/orders/${order.orderId}`, { "x-actor": `customer:${customerOf(order).id}` });
  const parts = (seen.body as { parts?: SeenPart[] }).parts;
  if (!parts) throw new Error(`split order ${order.orderId} shows no parts (answered ${seen.status})`);
  return parts;
}

/**
 * The same step for each part of a split order that is where the step starts: a clerk
 * picks every part's reservation, a rider delivers every part that has shipped. A retry
 * finds the parts already done moved on and leaves them.
 */
async function forEachPart(api: HumanApi, order: TrackedOrder, stage: string, act: (part: SeenPart) => Promise<unknown>): Promise<void> {
  for (const part of await partsOf(api, order)) if (part.stage === stage) await act(part);
}

/** Clerks in waves need WorkWave; one by one, the step's own command. */
function clerkStepOffered(api: HumanApi, single: () => Promise<unknown>): Promise<boolean> {
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
async function clerkStepForOrder(api: HumanApi, order: TrackedOrder, stage: string, step: WaveStep, itemOf: (reservationId: string, partId: string) => WaveItem): Promise<HeldFor> {
  if (!isSplit(order)) return clerkStep(api, step, itemOf(order.reservationId ?? "", ""));
  const parts = (await partsOf(api, order)).filter((part) => part.stage === stage);
  const held = await Promise.all(parts.map((part) => clerkStep(api, step, itemOf(part.reservationId, part.partId))));
  return { heldMs: Math.max(0, ...held.map((h) => h.heldMs)) };
}

/**
 * A technician's visit on an appointment: confirmed from now (once per assignee: a retry
 * after a refusal does not move it), then, for a technician drawn to be late, a wait past
 * the arrival deadline, then the check-in. The caller records the service as delivered.
 */
async function visitOnAppointment(api: HumanApi, order: TrackedOrder, appointments: NonNullable<StepSettings["appointments"]>, appointedAt: Map<string, number>): Promise<void> {
  const visit = { taskId: order.taskId ?? "", caller: assigneeOf(order), correlationId: "" };
  const key = `${visit.taskId} ${visit.caller.id}`;
  if (!appointedAt.has(key)) {
    const from = new Date();
    await api.dispatch.confirmAppointment({
      ...visit,
      appointmentFrom: from.toISOString(),
      appointmentUntil: new Date(from.getTime() + 3600_000).toISOString(),
      siteSurveyNeeded: false,
      needs: "as ordered",
      toolsAndMaterials: [],
    });
    appointedAt.set(key, from.getTime());
  }
  const lateFor = arrivesLate(order, appointments.lateShare) ? appointedAt.get(key)! + appointments.lateByMs - Date.now() : 0;
  if (lateFor > 0) await new Promise((resolve) => setTimeout(resolve, lateFor));
  await api.dispatch.checkIn({ ...visit, at: "", lateCause: "", lateMeasure: "" });
}

function delivery(order: TrackedOrder, place: string, method: string) {
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

export const humanSteps: HumanStep[] = humanStepsWith({ silentCustomers: 0 });

export function humanStepsWith(settings: StepSettings): HumanStep[] {
  const cancels = (order: TrackedOrder) => cancelsBeforeShipping(order, settings.cancellingCustomers ?? 0);
  const unanswered = (order: TrackedOrder) => neverConfirms(order, settings.unansweredConfirmations ?? 0);
  const uncollected = (order: TrackedOrder) => neverCollected(order, settings.uncollectedPickups ?? 0);
  // When each technician confirmed their appointment, by "<taskId> <staffId>": a retried step does not confirm again.
  const appointedAt = new Map<string, number>();
  // A first assignee who never acknowledges does not turn up either: the work waits for the next one.
  const absent = (order: TrackedOrder) => awaitsAnotherAssignee(order, settings.missedAcknowledgements ?? 0);
  const unlessAbsent = (order: TrackedOrder) => {
    if (absent(order)) throw new Error(`${order.staffId} never acknowledged: the task waits to go to someone else`);
  };
  return [
    {
      name: "customer confirms the order",
      when: "awaiting-confirmation",
      leadsTo: "confirmed",
      who: "customer",
      applies: (order) => !unanswered(order),
      // The store's confirmation rules follow up, escalate and then cancel by rule.
      endsWithout: (order) => (unanswered(order) ? "cancelled" : undefined),
      offered: async (api) => api.openApiPaths.has("/v1/orders/{orderId}/confirmation"),
      act: async (api, order) => {
        const response = await api.intake.post(`/v1/orders/${order.orderId}/confirmation`, {}, { "x-actor": `customer:bench-${order.orderId.slice(0, 8)}` });
        if (response.status >= 300) throw new Error(`confirmation answered ${response.status}: ${JSON.stringify(response.body)}`);
      },
    },
    {
      name: "assignee acknowledges the task",
      when: "task.assigned",
      leadsTo: "task.acknowledged",
      who: "rider or service staff",
      // Asked again on every assignment: the person a missed task is handed on to acknowledges.
      applies: (order) => !absent(order),
      // Goods go on to the clerk meanwhile; a service visit's next steps need the assignee's yes.
      holdsOrder: (order) => order.kind === "service",
      offered: (api) => grpcOffers(() => api.dispatch.acknowledgeTask({ taskId: "probe", caller: assigneeOf(probeOrder), correlationId: "" })),
      act: async (api, order) => {
        if (!isSplit(order)) {
          await api.dispatch.acknowledgeTask({ taskId: order.taskId ?? "", caller: assigneeOf(order), correlationId: "" });
          return;
        }
        // Each part's rider acknowledges their own task.
        for (const [taskId, staffId] of order.assignees) {
          if (order.acknowledged.has(`${taskId} ${staffId}`)) continue;
          await api.dispatch.acknowledgeTask({ taskId, caller: { ...assigneeOf(order), id: staffId }, correlationId: "" });
        }
      },
    },
    {
      name: "warehouse clerk picks",
      when: "assigned",
      leadsTo: "picked",
      who: "warehouse clerk",
      applies: (order) => isGoods(order) && !cancels(order),
      offered: (api) => clerkStepOffered(api, () => api.warehouse.pickReservation({ reservationId: "probe", caller: clerk, correlationId: "" })),
      act: (api, order) => clerkStepForOrder(api, order, "assigned", "pick", (reservationId) => ({ reservationId })),
    },
    {
      name: "warehouse clerk packs",
      when: "picked",
      leadsTo: "packed",
      who: "warehouse clerk",
      applies: isGoods,
      offered: (api) => clerkStepOffered(api, () => api.warehouse.packReservation({ reservationId: "probe", caller: clerk, parcels: 1, correlationId: "" })),
      act: (api, order) => clerkStepForOrder(api, order, "picked", "pack", (reservationId) => ({ reservationId, parcels: 1 })),
    },
    {
      name: "warehouse clerk ships",
      when: "packed",
      leadsTo: "shipped",
      who: "warehouse clerk",
      applies: ships,
      offered: (api) =>
        clerkStepOffered(api, () => api.warehouse.shipReservation({ reservationId: "probe", caller: clerk, carrier: "SF", trackingNumber: "probe", correlationId: "" })),
      act: (api, order) =>
        clerkStepForOrder(api, order, "packed", "ship", (reservationId, partId) => ({
          reservationId,
          carrier: "SF Express",
          trackingNumber: `SF${order.orderId.replace(/-/g, "").slice(0, 12)}${partId ? `-${partId}` : ""}`,
        })),
    },
    {
      name: "counter clerk hands the order over",
      when: "packed",
      leadsTo: "delivered",
      who: "counter clerk",
      applies: (order) => isGoods(order) && order.fulfillmentMethod === "pickup" && !uncollected(order),
      // Nobody came: the hold period ends and the order is cancelled by rule.
      endsWithout: (order) => (uncollected(order) ? "cancelled" : undefined),
      offered: (api) => grpcOffers(() => api.orders.recordDelivery(delivery(probeOrder, "store counter", "pickup"))),
      act: async (api, order) => {
        // The customer reads their pick-up code on their order and gives it at the counter.
        const seen = await api.intake.get(`/v1/orders/${order.orderId}`, { "x-actor": `customer:${customerOf(order).id}` });
        const code = (seen.body as { pickup?: { code?: string } }).pickup?.code;
        if (!code) throw new Error(`pick-up order ${order.orderId} shows its customer no pick-up code (answered ${seen.status})`);
        await api.orders.recordDelivery({ ...delivery(order, "store counter", "pickup"), proofKind: "one-time-code", proofRef: code });
      },
    },
    {
      name: "rider delivers",
      when: "shipped",
      leadsTo: "delivered",
      who: "rider",
      applies: ships,
      offered: (api) => grpcOffers(() => api.orders.recordDelivery(delivery(probeOrder, "customer's door", "courier"))),
      act: async (api, order) => {
        if (!isSplit(order)) {
          unlessAbsent(order);
          await api.orders.recordDelivery(delivery(order, "customer's door", "courier"));
          return;
        }
        // Each part's own rider hands it over; split orders are prepaid, nothing is collected.
        await forEachPart(api, order, "shipped", (part) =>
          api.orders.recordDelivery({
            ...delivery(order, "customer's door", "courier"),
            caller: { ...assigneeOf(order), id: part.assigneeStaffId ?? "bench-rider" },
            partId: part.partId,
            collectedMinor: 0,
          }),
        );
      },
    },
    {
      name: "technician serves on site and reports",
      when: "assigned",
      leadsTo: "delivered",
      who: "service staff",
      applies: (order) => order.kind === "service" && !cancels(order),
      offered: (api) => grpcOffers(() => api.orders.recordDelivery(delivery(probeOrder, "customer's home", "on-site"))),
      act: async (api, order) => {
        unlessAbsent(order);
        if (settings.appointments) await visitOnAppointment(api, order, settings.appointments, appointedAt);
        await api.orders.recordDelivery(delivery(order, "customer's home", "on-site"));
      },
    },
    {
      name: "customer cancels before it ships",
      when: "assigned",
      leadsTo: "cancelled",
      who: "customer",
      applies: cancels,
      offered: async (api) => api.openApiPaths.has("/v1/orders/{orderId}/cancellation"),
      act: async (api, order) => {
        const response = await api.intake.post(
          `/v1/orders/${order.orderId}/cancellation`,
          { reason: "changed my mind" },
          { "x-actor": `customer:${customerOf(order).id}` },
        );
        if (response.status >= 300) throw new Error(`cancellation answered ${response.status}: ${JSON.stringify(response.body)}`);
      },
    },
    {
      name: "customer signs for it",
      when: "delivered",
      leadsTo: "accepted",
      who: "customer",
      applies: (order) => !staysSilent(order, settings.silentCustomers),
      offered: (api) => grpcOffers(() => api.orders.acceptDelivery({ orderId: probeOrder.orderId, caller: customerOf(probeOrder), reason: "", correlationId: "" })),
      act: async (api, order) => {
        await api.orders.acceptDelivery({ orderId: order.orderId, caller: customerOf(order), reason: "", correlationId: "" });
      },
    },
    {
      name: "finance confirms the customer's bank transfer",
      when: "completed",
      leadsTo: "settled",
      who: "finance clerk",
      applies: (order) => !order.prepaid && !collectsAtDoor(order),
      offered: (api) => grpcOffers(() => api.billing.confirmPayment(payment(probeOrder))),
      act: async (api, order) => {
        await api.billing.confirmPayment(payment(order));
      },
    },
    {
      name: "finance refunds goodwill on a closed order",
      when: "closed",
      // Nothing on the topics says a refund landed: every attempt is sent, each with the same reference.
      leadsTo: "goodwill refunded",
      who: "finance clerk",
      applies: (order) => goodwillOf(order, settings.goodwillRefunds ?? 0) > 0,
      offered: (api) => grpcOffers(() => api.billing.issueRefund(goodwill(probeOrder, 1))),
      act: async (api, order) => {
        await api.billing.issueRefund(goodwill(order, goodwillOf(order, settings.goodwillRefunds ?? 0)));
      },
    },
    {
      name: "finance closes the order",
      when: "settled",
      leadsTo: "closed",
      who: "finance clerk",
      applies: () => true,
      offered: (api) =>
        grpcOffers(() =>
          api.waves
            ? api.orders.closeOrders({ orderIds: [probeOrder.orderId], caller: finance, reason: "", correlationId: "" })
            : api.orders.closeOrder({ orderId: probeOrder.orderId, caller: finance, reason: "", correlationId: "" }),
        ),
      act: async (api, order) => {
        // Finance in waves closes the day's settled orders together.
        if (api.waves) return { heldMs: await api.waves.finance.take("close", order.orderId) };
        await api.orders.closeOrder({ orderId: order.orderId, caller: finance, reason: "all money clear", correlationId: "" });
      },
    },
  ];
}

function goodwill(order: TrackedOrder, amountMinor: number) {
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

function payment(order: TrackedOrder) {
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
