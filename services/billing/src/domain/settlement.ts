import { IllegalStateError } from "@oms/errors";

/**
 * A settlement: what an order owes and what has been paid. Pure: no I/O, no clock.
 * For now it covers what closing an order needs (amount due, payment taken at order
 * time or on delivery); invoices, credit and reconciliation build on it.
 */

export type SettlementStatus = "awaiting-payment" | "paid";

export interface Settlement {
  settlementId: string;
  orderId: string;
  storeId: string;
  currency: string;
  amountDueMinor: number;
  /** The tax within the amount due (the order's totals); invoices state it in proportion. */
  taxMinor: number;
  amountPaidMinor: number;
  paymentMethod: string;
  status: SettlementStatus;
}

export interface PrepareSettlement {
  type: "PrepareSettlement";
  settlementId: string;
  orderId: string;
  storeId: string;
  currency: string;
  grandTotalMinor: number;
  taxMinor: number;
  paymentMethod: string;
  /** Paid at order time (marketplace orders, prepayment). */
  prepaid: boolean;
}

/** Money received for the order: at the door (collected on delivery), by bank, card or platform. */
export interface RecordPayment {
  type: "RecordPayment";
  paymentId: string;
  amountMinor: number;
  currency: string;
  method: string;
  reference: string;
}

export type SettlementCommand = PrepareSettlement | RecordPayment;

export interface SettlementPrepared {
  type: "SettlementPrepared";
  settlement: Settlement;
}

export interface PaymentRecorded {
  type: "PaymentRecorded";
  paymentId: string;
  amountMinor: number;
  method: string;
  reference: string;
}

/** Everything due has been paid: the order may be settled and closed. */
export interface SettlementPaidInFull {
  type: "SettlementPaidInFull";
  amountPaidMinor: number;
}

export type SettlementEvent = SettlementPrepared | PaymentRecorded | SettlementPaidInFull;

/** A request the settlement's rules refuse (overpayment, wrong currency, no settlement yet). */
export class SettlementRuleViolation extends IllegalStateError {
  override readonly name = "SettlementRuleViolation";

  constructor(message: string) {
    super("settlement.rule-violation", message);
  }
}

/**
 * A confirmation under a reference already recorded for the order: the same payment sent
 * again (a retry, a double click) changes nothing; other money under that reference is
 * refused, since recording it would need the reference twice and skipping it would lose it.
 */
export function isRepeatOfPayment(
  orderId: string,
  reference: string,
  sent: { amountMinor: number; currency: string; method: string },
  recorded: { amountMinor: number; currency: string; method: string } | undefined,
): boolean {
  if (!recorded) return false;
  if (sent.amountMinor === recorded.amountMinor && sent.currency === recorded.currency && sent.method === recorded.method) return true;
  throw new IllegalStateError(
    "settlement.reference-reused",
    `order ${orderId} already has a payment under reference ${reference} of ${recorded.amountMinor} ${recorded.currency} by ${recorded.method}: another payment needs a reference of its own`,
  );
}

/** A payment for an order that was cancelled: billing keeps no money of a cancelled order. */
export class PaymentOfCancelledOrder extends IllegalStateError {
  override readonly name = "PaymentOfCancelledOrder";

  constructor(orderId: string) {
    super("settlement.order-cancelled", `order ${orderId} was cancelled: billing takes no payment for it; return the money to the payer`);
  }
}

/** What billing knows of the order beyond its settlement, which a settlement may not have yet. */
export interface OrderStanding {
  orderId: string;
  cancelled: boolean;
}

/** Decides what a command does to a settlement (undefined: none exists yet) of an order standing as `order` says. */
export function decide(command: SettlementCommand, state: Settlement | undefined, order: OrderStanding): SettlementEvent[] {
  switch (command.type) {
    case "PrepareSettlement": {
      // A second request for the same order (a replay, a re-planned order) changes nothing.
      if (state) return [];
      if (!Number.isInteger(command.grandTotalMinor) || command.grandTotalMinor < 0) {
        throw new SettlementRuleViolation(`grand total must be a non-negative integer of minor units, got ${command.grandTotalMinor}`);
      }
      if (!Number.isInteger(command.taxMinor) || command.taxMinor < 0 || command.taxMinor > command.grandTotalMinor) {
        throw new SettlementRuleViolation(`tax must be an integer of minor units between 0 and the grand total ${command.grandTotalMinor}, got ${command.taxMinor}`);
      }
      const paid = command.prepaid ? command.grandTotalMinor : 0;
      const prepared: SettlementEvent[] = [
        {
          type: "SettlementPrepared",
          settlement: {
            settlementId: command.settlementId,
            orderId: command.orderId,
            storeId: command.storeId,
            currency: command.currency,
            amountDueMinor: command.grandTotalMinor,
            taxMinor: command.taxMinor,
            amountPaidMinor: paid,
            paymentMethod: command.paymentMethod,
            status: paid >= command.grandTotalMinor ? "paid" : "awaiting-payment",
          },
        },
      ];
      if (paid >= command.grandTotalMinor) prepared.push({ type: "SettlementPaidInFull", amountPaidMinor: paid });
      return prepared;
    }
    case "RecordPayment":
      return recordPayment(command, state, order);
    default: {
      const unknown: never = command;
      throw new Error(`unknown command ${JSON.stringify(unknown)}`);
    }
  }
}

function recordPayment(command: RecordPayment, state: Settlement | undefined, order: OrderStanding): SettlementEvent[] {
  // The cancellation refunded everything held; a payment kept now would never go back.
  if (order.cancelled) throw new PaymentOfCancelledOrder(order.orderId);
  if (!state) throw new SettlementRuleViolation("no settlement for this order yet: a payment can be recorded once the order is assigned");
  if (!Number.isSafeInteger(command.amountMinor) || command.amountMinor <= 0) {
    throw new SettlementRuleViolation(`a payment must be a positive integer of minor units, got ${command.amountMinor}`);
  }
  if (command.currency !== state.currency) throw new SettlementRuleViolation(`the settlement is in ${state.currency}, not ${command.currency}`);
  const outstanding = state.amountDueMinor - state.amountPaidMinor;
  if (command.amountMinor > outstanding) {
    throw new SettlementRuleViolation(`payment of ${command.amountMinor} exceeds the outstanding ${outstanding} ${state.currency}`);
  }
  const events: SettlementEvent[] = [
    { type: "PaymentRecorded", paymentId: command.paymentId, amountMinor: command.amountMinor, method: command.method, reference: command.reference },
  ];
  if (command.amountMinor === outstanding) events.push({ type: "SettlementPaidInFull", amountPaidMinor: state.amountDueMinor });
  return events;
}

export function evolve(state: Settlement | undefined, event: SettlementEvent): Settlement {
  if (event.type === "SettlementPrepared") return event.settlement;
  if (!state) throw new Error(`cannot apply ${event.type} without a settlement`);
  switch (event.type) {
    case "PaymentRecorded":
      return { ...state, amountPaidMinor: state.amountPaidMinor + event.amountMinor };
    case "SettlementPaidInFull":
      return { ...state, status: "paid" };
    default: {
      const unknown: never = event;
      throw new Error(`unknown event ${JSON.stringify(unknown)}`);
    }
  }
}
