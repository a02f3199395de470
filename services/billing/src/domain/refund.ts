import { IllegalStateError } from "@oms/errors";

/**
 * Refunds: money taken on an order going back to whoever paid it. Pure: no I/O, no clock,
 * no ids. The one rule that matters: an order's refunds never add up to more than was
 * paid on it, and no refund returns more to a payment than that payment brought in.
 */

/** Money taken on the order: at order time ("prepayment") or a payment recorded since (its id). */
export interface MoneyTaken {
  source: string;
  amountMinor: number;
  method: string;
}

/** A refund already issued, against the money it returned. */
export interface RefundGiven {
  source: string;
  amountMinor: number;
}

/** What billing holds for one order: what came in (in the order it came) and what went back. */
export interface RefundAccount {
  orderId: string;
  currency: string;
  /** The platform holds a marketplace buyer's money and refunds it; billing only records that it must. */
  marketplace: boolean;
  taken: MoneyTaken[];
  refunded: RefundGiven[];
}

export type RefundTrigger = "cancellation" | "finance" | "substitution" | "after-sales";

/** The order was cancelled: everything still held goes back. */
export interface RefundOnCancellation {
  type: "RefundOnCancellation";
  reason: string;
}

/** A finance clerk grants part of the money back (a substitute's price difference, goodwill). */
export interface GrantRefund {
  type: "GrantRefund";
  amountMinor: number;
  reason: string;
}

/**
 * Out of stock, the customer took a cheaper substitute: the difference intake priced goes
 * back, never more than is still held (a pay-later order owes less instead).
 */
export interface RefundPriceDifference {
  type: "RefundPriceDifference";
  amountMinor: number;
  reason: string;
}

/**
 * An after-sales case was resolved with money going back (a return, a complaint's goodwill):
 * after-sales bounded it by the order's total; billing pays back what it still holds of it.
 */
export interface RefundResolvedCase {
  type: "RefundResolvedCase";
  amountMinor: number;
  reason: string;
}

export type RefundCommand = RefundOnCancellation | GrantRefund | RefundPriceDifference | RefundResolvedCase;

/** One refund: an amount back to one payment method, from one source of money. */
export interface RefundIssued {
  type: "RefundIssued";
  source: string;
  amountMinor: number;
  method: string;
  reason: string;
  trigger: RefundTrigger;
}

/** A refund the rules refuse (more than was paid, not whole minor units, no reason). */
export class RefundRuleViolation extends IllegalStateError {
  override readonly name = "RefundRuleViolation";

  constructor(message: string) {
    super("refund.rule-violation", message);
  }
}

export const marketplaceRefundMethod = "marketplace";

export function paidTotalOf(account: RefundAccount): number {
  return sum(account.taken.map((t) => t.amountMinor));
}

export function refundedTotalOf(account: RefundAccount): number {
  return sum(account.refunded.map((r) => r.amountMinor));
}

/** What may still be refunded on the order. */
export function refundableOf(account: RefundAccount): number {
  return Math.max(0, paidTotalOf(account) - refundedTotalOf(account));
}

/** Decides which refunds a command issues on the order's account. */
export function decideRefund(command: RefundCommand, account: RefundAccount): RefundIssued[] {
  switch (command.type) {
    case "RefundOnCancellation": {
      // Nothing held (cash on delivery not collected yet, or already refunded): nothing to do,
      // which also makes a cancellation heard twice harmless.
      const remainder = refundableOf(account);
      const reason = command.reason.trim() ? `order cancelled: ${command.reason.trim()}` : "order cancelled";
      return remainder === 0 ? [] : allocate(account, remainder, reason, "cancellation");
    }
    case "RefundPriceDifference":
    case "RefundResolvedCase": {
      // Decided elsewhere, heard as an event: it cannot be refused, only bounded by what is held.
      const amount = Math.min(Math.max(0, Math.trunc(command.amountMinor)), refundableOf(account));
      return amount === 0 ? [] : allocate(account, amount, command.reason, command.type === "RefundPriceDifference" ? "substitution" : "after-sales");
    }
    case "GrantRefund": {
      if (!Number.isSafeInteger(command.amountMinor) || command.amountMinor <= 0) {
        throw new RefundRuleViolation(`a refund must be a positive integer of minor units, got ${command.amountMinor}`);
      }
      if (!command.reason.trim()) throw new RefundRuleViolation("a refund needs a reason");
      const remainder = refundableOf(account);
      if (command.amountMinor > remainder) {
        throw new RefundRuleViolation(
          `a refund of ${command.amountMinor} ${account.currency} would exceed what was paid on order ${account.orderId}: ` +
            `${paidTotalOf(account)} paid, ${refundedTotalOf(account)} already refunded, ${remainder} left to refund`,
        );
      }
      return allocate(account, command.amountMinor, command.reason.trim(), "finance");
    }
    default: {
      const unknown: never = command;
      throw new Error(`unknown command ${JSON.stringify(unknown)}`);
    }
  }
}

export function evolveRefunds(account: RefundAccount, refund: RefundIssued): RefundAccount {
  return { ...account, refunded: [...account.refunded, { source: refund.source, amountMinor: refund.amountMinor }] };
}

/**
 * Splits an amount over the money taken, oldest first, so each refund goes back the way
 * its money came (an order paid in instalments by transfer and at the door gets one
 * refund per method) and none returns more than its payment brought in.
 */
function allocate(account: RefundAccount, amountMinor: number, reason: string, trigger: RefundTrigger): RefundIssued[] {
  const refundedBySource = new Map<string, number>();
  for (const r of account.refunded) refundedBySource.set(r.source, (refundedBySource.get(r.source) ?? 0) + r.amountMinor);
  const issued: RefundIssued[] = [];
  let left = amountMinor;
  for (const taken of account.taken) {
    if (left === 0) break;
    const available = taken.amountMinor - (refundedBySource.get(taken.source) ?? 0);
    if (available <= 0) continue;
    const part = Math.min(available, left);
    const method = account.marketplace ? marketplaceRefundMethod : taken.method;
    issued.push({ type: "RefundIssued", source: taken.source, amountMinor: part, method, reason, trigger });
    left -= part;
  }
  // The sources' unrefunded amounts add up to at least refundableOf(account), which bounds
  // every amount asked: `left` always reaches 0.
  return issued;
}

function sum(values: number[]): number {
  return values.reduce((total, v) => total + v, 0);
}
