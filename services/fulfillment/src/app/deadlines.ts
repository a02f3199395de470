import type pg from "pg";
import { cancelTimer, scheduleTimer } from "@oms/timers";
import { storeSettingsRepository } from "../adapters/pg/store-settings-repository.ts";
import type { OrderDomainEvent } from "../domain/events.ts";
import type { Order } from "../domain/order.ts";

/** Timer kinds fulfillment schedules; the handlers are in ports/timers. */
export const TimerKinds = {
  acceptancePeriod: "acceptance-period",
  confirmationFollowUp: "confirmation-follow-up",
  confirmationEscalation: "confirmation-escalation",
  confirmationCancellation: "confirmation-cancellation",
  pickupPeriod: "pickup-period",
} as const;

const HOUR_MS = 3600_000;

const confirmationKinds = [TimerKinds.confirmationFollowUp, TimerKinds.confirmationEscalation, TimerKinds.confirmationCancellation];

/**
 * Durable deadlines started by a change, written in its transaction: a restart loses
 * none, and a key per occurrence keeps a replay from scheduling one twice.
 */
export async function scheduleDeadlines(tx: pg.ClientBase, order: Order, events: readonly OrderDomainEvent[]): Promise<void> {
  for (const event of events) {
    // A split order's acceptance period starts when its last part is delivered.
    if (event.type === "DeliveryRecorded" && (!event.part || order.status === "delivered")) {
      await scheduleTimer(tx, {
        kind: TimerKinds.acceptancePeriod,
        key: `${order.orderId}/${order.reworkCount ?? 0}`,
        orderId: order.orderId,
        dueAt: new Date(event.delivery.acceptBy),
      });
    }
    if (event.type === "ReadyForPickup") {
      await scheduleTimer(tx, { kind: TimerKinds.pickupPeriod, key: order.orderId, orderId: order.orderId, dueAt: new Date(event.pickup.collectBy) });
    }
    if (event.type === "StatusChanged" && event.from === "packed" && order.fulfillmentMethod === "pickup") {
      // Collected (or cancelled) before the hold period ran out.
      await cancelTimer(tx, TimerKinds.pickupPeriod, order.orderId);
    }
    if (event.type === "StatusChanged" && event.to === "awaiting-confirmation") {
      await scheduleConfirmationDeadlines(tx, order);
    }
    if (event.type === "StatusChanged" && event.from === "awaiting-confirmation") {
      // Confirmed or cancelled: the confirmation deadlines have nothing left to do.
      for (const kind of confirmationKinds) await cancelTimer(tx, kind, order.orderId);
    }
  }
}

async function scheduleConfirmationDeadlines(tx: pg.ClientBase, order: Order): Promise<void> {
  const rules = await storeSettingsRepository.confirmationRulesOf(tx, order.storeId);
  const now = Date.now();
  const at = (hours: number) => new Date(now + hours * HOUR_MS);
  const stages = [
    { kind: TimerKinds.confirmationFollowUp, hours: rules.followUpHours, next: rules.escalationHours },
    { kind: TimerKinds.confirmationEscalation, hours: rules.escalationHours, next: rules.cancelHours },
    { kind: TimerKinds.confirmationCancellation, hours: rules.cancelHours, next: rules.cancelHours },
  ];
  for (const stage of stages) {
    await scheduleTimer(tx, {
      kind: stage.kind,
      key: order.orderId,
      orderId: order.orderId,
      dueAt: at(stage.hours),
      payload: { hoursWaited: stage.hours, nextStepAt: at(stage.next).toISOString() },
    });
  }
}
