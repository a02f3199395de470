import type pg from "pg";
import { EventTypes, newEvent, type EventOrigin, type OrderEvent } from "@oms/contracts";
import type { OutboxWriter } from "@oms/messaging";
import { paymentRepository } from "../adapters/pg/payment-repository.ts";
import { settlementRepository } from "../adapters/pg/settlement-repository.ts";
import { decide, evolve, type Settlement, type SettlementCommand, type SettlementEvent } from "../domain/settlement.ts";

/** The one way a settlement changes: lock, decide, evolve, save, record payments and events in the caller's transaction. */
export async function executeSettlementCommand(
  tx: pg.ClientBase,
  outbox: OutboxWriter,
  orderId: string,
  command: SettlementCommand,
  origin: EventOrigin,
): Promise<Settlement | undefined> {
  const current = await settlementRepository.lockByOrder(tx, orderId);
  const events = decide(command, current);
  let state = current;
  for (const event of events) state = evolve(state, event);
  if (!state || events.length === 0) return state;
  await settlementRepository.save(tx, state);
  for (const event of events) {
    if (event.type === "PaymentRecorded") {
      await paymentRepository.insert(tx, { ...event, orderId, currency: state.currency, recordedBy: `${origin.actor.kind}:${origin.actor.id}` });
    }
  }
  await outbox.append(tx, events.map((event) => toContractEvent(event, state!, origin)));
  return state;
}

function toContractEvent(event: SettlementEvent, s: Settlement, origin: EventOrigin): OrderEvent {
  const money = (minor: number) => ({ minor, currency: s.currency });
  switch (event.type) {
    case "SettlementPrepared":
      return newEvent(
        EventTypes.SettlementPrepared,
        { settlementId: s.settlementId, amountDue: money(s.amountDueMinor), amountPaid: money(event.settlement.amountPaidMinor), paymentMethod: s.paymentMethod, status: event.settlement.status },
        origin,
      );
    case "PaymentRecorded":
      return newEvent(EventTypes.PaymentConfirmed, { settlementId: s.settlementId, paymentId: event.paymentId, amount: money(event.amountMinor), method: event.method }, origin);
    case "SettlementPaidInFull":
      return newEvent(EventTypes.OrderSettled, { settlementId: s.settlementId, amountPaid: money(event.amountPaidMinor) }, origin);
    default: {
      const unknown: never = event;
      throw new Error(`unmapped event ${JSON.stringify(unknown)}`);
    }
  }
}
