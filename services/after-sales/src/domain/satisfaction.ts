/**
 * A customer's satisfaction with an order that reached them (DOMAIN.md: customer service's
 * follow-up visits and satisfaction surveys; the KPI "customer satisfaction"). Pure.
 */
import { ForbiddenError, IllegalStateError, ValidationError, type FieldError } from "@oms/errors";
import { unknownOrder, type CaseCaller } from "./case-callers.ts";
import { clearTextOf, wordsInTheClear, type CustomerWords } from "./customer-words.ts";
import type { OrderFacts } from "./order-facts.ts";

export const satisfactionChannels = ["online", "follow-up-call"] as const;
export type SatisfactionChannel = (typeof satisfactionChannels)[number];

export interface Satisfaction {
  orderId: string;
  storeId: string;
  score: number;
  /** What the customer said beside the score, in their words: sealed once stored (customer-words.ts). */
  comment: CustomerWords;
  channel: SatisfactionChannel;
  recordedBy: string;
  recordedAt: Date;
}

export interface SatisfactionAsked {
  orderId: string;
  score: number;
  comment: string;
  channel: string;
}

/** Statuses in which the order has reached the customer: there is something to be satisfied with. */
const reachedCustomer: ReadonlySet<string> = new Set(["delivered", "accepted", "rework", "completed", "settled", "closed"]);
const maxComment = 2_000;

/** The survey's answer, field by field; the customer answers online, customer service on a follow-up call. */
export function checkedSatisfaction(asked: SatisfactionAsked, by: CaseCaller): SatisfactionAsked & { channel: SatisfactionChannel } {
  const errors: FieldError[] = [];
  if (!asked.orderId.trim()) errors.push({ field: "orderId", message: "is required" });
  if (!Number.isInteger(asked.score) || asked.score < 1 || asked.score > 5) errors.push({ field: "score", message: "must be a whole number from 1 to 5" });
  if (asked.comment.length > maxComment) errors.push({ field: "comment", message: `must be at most ${maxComment} characters` });
  if (!(satisfactionChannels as readonly string[]).includes(asked.channel)) errors.push({ field: "channel", message: `must be one of ${satisfactionChannels.join(", ")}` });
  else if ((asked.channel === "online") !== (by.kind === "customer")) {
    errors.push({ field: "channel", message: by.kind === "customer" ? "a customer answers online" : "customer service records a follow-up-call" });
  }
  if (errors.length > 0) throw new ValidationError(errors);
  return { orderId: asked.orderId.trim(), score: asked.score, comment: asked.comment.trim(), channel: asked.channel as SatisfactionChannel };
}

/**
 * The satisfaction to record for an order that reached its customer, by that customer (a
 * guest order's, holding its id) or customer service; or, when one is on record already,
 * nothing if it is the same answer by the same person (a retry; the recorded comment comes
 * opened by the app), else a refusal: an order is rated once.
 */
export function decideSatisfaction(
  asked: SatisfactionAsked & { channel: SatisfactionChannel },
  by: CaseCaller,
  byLabel: string,
  facts: OrderFacts,
  recorded: Satisfaction | undefined,
  now: Date,
): Satisfaction | undefined {
  // A guest order names no one: whoever holds its id could take its one rating, so customer service records it on a follow-up call.
  if (by.kind === "customer" && facts.customerId === "") {
    throw new ForbiddenError("after-sales.not-your-order", "a customer rates their own orders only (a guest order's rating is taken on a follow-up call)");
  }
  // Another account's order: answered as one nobody placed, so a guessed id learns nothing.
  if (by.kind === "customer" && facts.customerId !== by.id) throw unknownOrder(facts.orderId);
  if (recorded) {
    const same = recorded.score === asked.score && clearTextOf(recorded.comment, "the recorded comment") === asked.comment && recorded.channel === asked.channel && recorded.recordedBy === byLabel;
    if (same) return undefined;
    throw new IllegalStateError("after-sales.satisfaction-recorded", `order ${facts.orderId} was rated ${recorded.score} on ${recorded.recordedAt.toISOString()}: an order is rated once`);
  }
  if (!reachedCustomer.has(facts.status)) {
    throw new IllegalStateError("after-sales.not-delivered-yet", `order ${facts.orderId} is ${facts.status} as far as after-sales knows: it is rated once it has reached the customer`);
  }
  return { orderId: facts.orderId, storeId: facts.storeId, score: asked.score, comment: wordsInTheClear(asked.comment), channel: asked.channel, recordedBy: byLabel, recordedAt: now };
}
