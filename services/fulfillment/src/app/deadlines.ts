import type pg from "pg";
import { cancelTimerKeys, scheduleTimers, type TimerSpec } from "@oms/timers";
import { storeSettingsRepository, type ConfirmationRules } from "../adapters/pg/store-settings-repository.ts";
import type { OrderDomainEvent } from "../domain/events.ts";
import { isHeldForForceMajeure } from "../domain/force-majeure.ts";
import type { Order } from "../domain/order.ts";

/** Timer kinds fulfillment schedules; the handlers are in ports/timers. */
export const TimerKinds = {
  acceptancePeriod: "acceptance-period",
  confirmationFollowUp: "confirmation-follow-up",
  confirmationEscalation: "confirmation-escalation",
  confirmationCancellation: "confirmation-cancellation",
  pickupPeriod: "pickup-period",
  deliveryDeadline: "delivery-deadline",
} as const;

const HOUR_MS = 3600_000;

const confirmationKinds = [TimerKinds.confirmationFollowUp, TimerKinds.confirmationEscalation, TimerKinds.confirmationCancellation];

/**
 * An order is delivered again after each refusal (rework), and each delivery has its own
 * acceptance period: the key names the delivery by how many refusals came before it.
 */
export function acceptanceTimerKey(orderId: string, deliveryRound: number): string {
  return `${orderId}/${deliveryRound}`;
}

/** A goods order's delivery deadline, by the time it was set for: a corrected time is a deadline of its own. */
export function deliveryTimerKey(orderId: string, requestedUntil: string): string {
  return `${orderId}/${requestedUntil}`;
}

/**
 * The order part of its timers' keys. Work resumed after force majeure starts its timers
 * afresh, relative to then (ADR 027); a key is unique per kind for ever (a cancelled one
 * included), so each resumption names its timers by its round.
 */
export function timerKeyOf(order: Order): string {
  return order.forceMajeureRound ? `${order.orderId}~fm${order.forceMajeureRound}` : order.orderId;
}

/** Which delivery an acceptance timer was for (see acceptanceTimerKey). */
export function deliveryRoundOfAcceptanceTimer(key: string): number {
  const round = Number(key.slice(key.lastIndexOf("/") + 1));
  if (!Number.isInteger(round) || round < 0) throw new Error(`acceptance timer key ${JSON.stringify(key)} does not end in a delivery round`);
  return round;
}

/** An order as a change left it, with the events of that change. */
export interface OrderChange {
  order: Order;
  events: readonly OrderDomainEvent[];
}

/**
 * Durable deadlines started and ended by changes, written in their transaction: a restart
 * loses none, and a key per occurrence keeps a replay from scheduling one twice. All
 * changes' timers are scheduled in one statement, then their cancellations in another;
 * within one order a deadline is only ever cancelled after it was started, so that order
 * is the order the changes came in.
 */
export async function scheduleDeadlines(tx: pg.ClientBase, changes: readonly OrderChange[]): Promise<void> {
  const schedule: TimerSpec[] = [];
  const cancel: { kind: string; key: string }[] = [];
  const rulesOfStore = new Map<string, ConfirmationRules>();
  for (const { order, events } of changes) {
    // Held for force majeure: a deadline set now (a correction's, goods packed for pick-up meanwhile)
    // would run under the round the hold ends and outlive the resumption, which starts it afresh.
    const held = isHeldForForceMajeure(order);
    for (const event of events) {
      // A split order's acceptance period starts when its last part is delivered.
      if (event.type === "DeliveryRecorded" && (!event.part || order.status === "delivered")) {
        schedule.push({
          kind: TimerKinds.acceptancePeriod,
          key: acceptanceTimerKey(timerKeyOf(order), order.reworkCount ?? 0),
          orderId: order.orderId,
          dueAt: new Date(event.delivery.acceptBy),
        });
      }
      if (event.type === "StatusChanged" && event.to === "rework") {
        // The customer refused that delivery: its acceptance period must not accept the redelivery.
        cancel.push({ kind: TimerKinds.acceptancePeriod, key: acceptanceTimerKey(timerKeyOf(order), (order.reworkCount ?? 1) - 1) });
      }
      if (event.type === "AcceptancePeriodExtended") {
        // Force majeure over the delivery's place: the period runs to the new time, under a key of its own.
        schedule.push({
          kind: TimerKinds.acceptancePeriod,
          key: acceptanceTimerKey(`${timerKeyOf(order)}@${event.acceptBy}`, order.reworkCount ?? 0),
          orderId: order.orderId,
          dueAt: new Date(event.acceptBy),
        });
      }
      if (event.type === "StatusChanged" && event.to === "on-hold" && event.holdReason === "force-majeure") {
        // Held: no deadline runs against the customer or the staff meanwhile; resuming starts them again.
        cancel.push({ kind: TimerKinds.deliveryDeadline, key: deliveryTimerKey(timerKeyOf(order), order.requestedUntil) });
        cancel.push({ kind: TimerKinds.pickupPeriod, key: timerKeyOf(order) });
      }
      // A goods order has until the time its customer asked for; a correction sets a new one (the old one, when it fires, finds it moved).
      const requestedUntil =
        event.type === "OrderCreated"
          ? event.order.requestedUntil
          : event.type === "CorrectionApplied" || event.type === "WindowRenegotiated"
            ? event.requestedUntil
            : event.type === "ForceMajeureResumed" && order.status !== "shipped"
              ? order.requestedUntil
              : "";
      const deadline = order.kind === "goods" && requestedUntil && !held ? new Date(requestedUntil) : undefined;
      if (deadline && !Number.isNaN(deadline.getTime())) {
        schedule.push({ kind: TimerKinds.deliveryDeadline, key: deliveryTimerKey(timerKeyOf(order), requestedUntil), orderId: order.orderId, dueAt: deadline, payload: { dueAt: requestedUntil } });
      }
      if (event.type === "StatusChanged" && (event.to === "delivered" || event.to === "cancelled" || event.to === "rejected")) {
        cancel.push({ kind: TimerKinds.deliveryDeadline, key: deliveryTimerKey(timerKeyOf(order), order.requestedUntil) });
      }
      if (event.type === "ReadyForPickup" && !held) {
        schedule.push({ kind: TimerKinds.pickupPeriod, key: timerKeyOf(order), orderId: order.orderId, dueAt: new Date(event.pickup.collectBy) });
      }
      if (event.type === "StatusChanged" && event.from === "packed" && order.fulfillmentMethod === "pickup") {
        // Collected (or cancelled) before the hold period ran out.
        cancel.push({ kind: TimerKinds.pickupPeriod, key: timerKeyOf(order) });
      }
      if (event.type === "StatusChanged" && event.to === "awaiting-confirmation") {
        let rules = rulesOfStore.get(order.storeId);
        if (!rules) rulesOfStore.set(order.storeId, (rules = await storeSettingsRepository.confirmationRulesOf(tx, order.storeId)));
        schedule.push(...confirmationDeadlines(order, rules));
      }
      if (event.type === "StatusChanged" && event.from === "awaiting-confirmation") {
        // Confirmed or cancelled: the confirmation deadlines have nothing left to do.
        for (const kind of confirmationKinds) cancel.push({ kind, key: timerKeyOf(order) });
      }
    }
  }
  await scheduleTimers(tx, schedule);
  await cancelTimerKeys(tx, cancel);
}

function confirmationDeadlines(order: Order, rules: ConfirmationRules): TimerSpec[] {
  const now = Date.now();
  const at = (hours: number) => new Date(now + hours * HOUR_MS);
  const stages = [
    { kind: TimerKinds.confirmationFollowUp, hours: rules.followUpHours, next: rules.escalationHours },
    { kind: TimerKinds.confirmationEscalation, hours: rules.escalationHours, next: rules.cancelHours },
    { kind: TimerKinds.confirmationCancellation, hours: rules.cancelHours, next: rules.cancelHours },
  ];
  return stages.map((stage) => ({
    kind: stage.kind,
    key: timerKeyOf(order),
    orderId: order.orderId,
    dueAt: at(stage.hours),
    payload: { hoursWaited: stage.hours, nextStepAt: at(stage.next).toISOString() },
  }));
}
