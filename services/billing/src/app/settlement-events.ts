import { EventTypes, newEvent, type EventOrigin, type OrderEvent } from "@oms/contracts";
import type { Settlement, SettlementEvent } from "../domain/settlement.ts";

/** What billing tells the other services about a settlement's change. */
export function toContractEvent(event: SettlementEvent, s: Settlement, origin: EventOrigin): OrderEvent {
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
