import { clerk, finance, type HumanApi } from "./human-api.ts";
import {
  assigneeOf,
  clerkStepForOrder,
  clerkStepOffered,
  clerkTakesTheirTime,
  collectsAtDoor,
  customerOf,
  delivery,
  forEachPart,
  goodwill,
  grpcOffers,
  isGoods,
  payment,
  probeOrder,
  ships,
  visitOnAppointment,
  complaintHandled,
  type HeldFor,
  type VisitSoFar,
} from "./human-commands.ts";
import { isSplit, type TrackedOrder } from "./order-tracker.ts";
import {
  awaitsAnotherAssignee,
  buysOnCredit,
  cancelsBeforeShipping,
  creditDecidedByBilling,
  creditRefused,
  complainsAbout,
  goodwillOf,
  neverCollected,
  neverConfirms,
  staysSilent,
  type StepSettings,
} from "./step-settings.ts";
import { callerHeaders } from "@oms/testing";

export type { HeldFor } from "./human-commands.ts";

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
  /**
   * The end the system's own rule gives the order when this person came but could not take the
   * step before the rule's time ran out (a customer at the counter while faults kept the hand-over
   * failing past the pick-up hold: cancelled by rule). Reached while the step was still being
   * retried, it is where the order should be; any other end the step never expected stays a failure.
   */
  overtakenBy?: string;
}

export const humanSteps: HumanStep[] = humanStepsWith({ silentCustomers: 0 });

export function humanStepsWith(settings: StepSettings): HumanStep[] {
  const cancels = (order: TrackedOrder) => cancelsBeforeShipping(order, settings.cancellingCustomers ?? 0);
  const unanswered = (order: TrackedOrder) => neverConfirms(order, settings.unansweredConfirmations ?? 0);
  const uncollected = (order: TrackedOrder) => neverCollected(order, settings.uncollectedPickups ?? 0);
  // Each technician's visit so far, by "<taskId> <staffId>": a retried step does not confirm or record anew.
  const visits = new Map<string, VisitSoFar>();
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
        // The order's own customer: the gateway answers anyone else as if the order did not exist (ADR 022, twenty-fifth session).
        const response = await api.intake.post(`/v1/orders/${order.orderId}/confirmation`, {}, callerHeaders(`customer:${customerOf(order).id}`));
        if (response.status >= 300) throw new Error(`confirmation answered ${response.status}: ${JSON.stringify(response.body)}`);
      },
    },
    {
      name: "finance approves an unassessed customer's credit by hand",
      when: "on-hold",
      leadsTo: "credit-checked",
      who: "finance clerk",
      // Billing decides the on-credit orders of customers it has assessed; a clerk those of anyone else (ADR 019).
      applies: (order) => buysOnCredit(order) && !creditDecidedByBilling(order, settings.credit),
      // Billing refuses a poor customer's order before any clerk would look at it: fulfillment cancels it.
      endsWithout: (order) => (creditRefused(order, settings.credit) ? "cancelled" : undefined),
      offered: (api) => grpcOffers(() => api.orders.approveCredit({ orderId: probeOrder.orderId, caller: finance, reason: "", correlationId: "" })),
      act: async (api, order) => {
        await api.orders.approveCredit({ orderId: order.orderId, caller: finance, reason: "the customer has no assessment yet; approved by hand", correlationId: "" });
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
      act: async (api, order) => {
        await clerkTakesTheirTime(order, "assigned", "pick", settings.lateClerks);
        return clerkStepForOrder(api, order, "assigned", "pick", (reservationId) => ({ reservationId }));
      },
    },
    {
      name: "warehouse clerk packs",
      when: "picked",
      leadsTo: "packed",
      who: "warehouse clerk",
      applies: isGoods,
      offered: (api) => clerkStepOffered(api, () => api.warehouse.packReservation({ reservationId: "probe", caller: clerk, parcels: 1, correlationId: "" })),
      act: async (api, order) => {
        await clerkTakesTheirTime(order, "picked", "pack", settings.lateClerks);
        return clerkStepForOrder(api, order, "picked", "pack", (reservationId) => ({ reservationId, parcels: 1 }));
      },
    },
    {
      name: "warehouse clerk ships",
      when: "packed",
      leadsTo: "shipped",
      who: "warehouse clerk",
      applies: ships,
      offered: (api) =>
        clerkStepOffered(api, () => api.warehouse.shipReservation({ reservationId: "probe", caller: clerk, carrier: "SF", trackingNumber: "probe", correlationId: "" })),
      act: async (api, order) => {
        await clerkTakesTheirTime(order, "packed", "ship", settings.lateClerks);
        return clerkStepForOrder(api, order, "packed", "ship", (reservationId, partId) => ({
          reservationId,
          carrier: "SF Express",
          trackingNumber: `SF${order.orderId.replace(/-/g, "").slice(0, 12)}${partId ? `-${partId}` : ""}`,
        }));
      },
    },
    {
      name: "counter clerk hands the order over",
      when: "packed",
      leadsTo: "delivered",
      who: "counter clerk",
      applies: (order) => isGoods(order) && order.fulfillmentMethod === "pickup" && !uncollected(order),
      // Nobody came: the hold period ends and the order is cancelled by rule.
      endsWithout: (order) => (uncollected(order) ? "cancelled" : undefined),
      // They came, but the hand-over failed (a service down, the code not yet on their order) until the hold ran out.
      overtakenBy: "cancelled",
      offered: (api) => grpcOffers(() => api.orders.recordDelivery(delivery(probeOrder, "store counter", "pickup"))),
      act: async (api, order) => {
        // The customer reads their pick-up code on their order and gives it at the counter.
        const seen = await api.intake.get(`/v1/orders/${order.orderId}`, callerHeaders(`customer:${customerOf(order).id}`));
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
        // On an appointment the report is the delivery; without one the technician records it like a rider.
        if (settings.appointments) await visitOnAppointment(api, order, settings.appointments, visits);
        else await api.orders.recordDelivery(delivery(order, "customer's home", "on-site"));
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
          callerHeaders(`customer:${customerOf(order).id}`),
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
      // Paid after acceptance: by bank transfer, and so is an on-credit order its customer pays within the terms.
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
      name: "customer service handles a complaint about a closed order",
      when: "closed",
      // Nothing on the order's topic says the case was resolved: every attempt follows the case as it stands.
      leadsTo: "complaint resolved",
      who: "customer service",
      applies: (order) => settings.complaints !== undefined && complainsAbout(order, settings.complaints.share),
      offered: (api) =>
        grpcOffers(() =>
          api.afterSales.openCase({ caseId: "probe", orderId: probeOrder.orderId, caller: customerOf(probeOrder), correlationId: "", kind: "complaint", channel: "online", description: "probe", lines: [] }),
        ),
      act: (api, order) => complaintHandled(api, order, settings.complaints!),
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
