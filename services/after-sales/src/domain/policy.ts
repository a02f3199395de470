/**
 * A store's published after-sales policy (DOMAIN.md, After-sales: "warranty period, scope,
 * process, liability"), and the check of a request against it (ADR 017). Pure.
 */
import { IllegalStateError, ValidationError, type FieldError } from "@oms/errors";
import { withinPeriodAfterDelivery, type OrderFacts } from "./order-facts.ts";

export const caseKinds = ["repair", "maintenance", "return", "exchange", "complaint"] as const;
export type CaseKind = (typeof caseKinds)[number];

export const isCaseKind = (value: string): value is CaseKind => (caseKinds as readonly string[]).includes(value);

export interface Policy {
  storeId: string;
  /** Days from delivery within which repairs and maintenance are covered. */
  warrantyDays: number;
  /** Days from delivery within which goods may be returned or exchanged. */
  returnDays: number;
  /** Hours within which a complaint is answered. The chain's default may be a fraction (tests). */
  complaintResponseHours: number;
  kinds: CaseKind[];
  process: string;
  liability: string;
  /** Absent while the chain's defaults apply. */
  updatedAt?: Date;
  updatedBy?: string;
}

/** The chain's policy, for every store that has not published its own. */
export type PolicyDefaults = Omit<Policy, "storeId" | "updatedAt" | "updatedBy">;

/** A policy a store manager published: when and by whom are known. */
export type PublishedPolicy = Policy & { updatedAt: Date; updatedBy: string };

export const maxPolicyDays = 3650;
export const maxResponseHours = 720;
export const maxTextLength = 2000;
export const maxStoreIdLength = 200;

export function defaultPolicyOf(storeId: string, defaults: PolicyDefaults): Policy {
  return { storeId, ...defaults, kinds: [...defaults.kinds] };
}

export interface PolicyInput {
  storeId: string;
  warrantyDays: number;
  returnDays: number;
  complaintResponseHours: number;
  kinds: readonly string[];
  process: string;
  liability: string;
}

/**
 * A policy as a store manager publishes it, every wrong field told at once. Hours are
 * whole here: people set them; only the chain's default may be a fraction, for tests.
 */
export function publishedPolicy(input: PolicyInput, by: string, now: Date): PublishedPolicy {
  const fields: FieldError[] = [];
  const storeId = input.storeId.trim();
  if (!storeId) fields.push({ field: "policy.storeId", message: "is required" });
  else if (storeId.length > maxStoreIdLength) fields.push({ field: "policy.storeId", message: `must be at most ${maxStoreIdLength} characters` });
  const wholeIn = (field: string, value: number, min: number, max: number, unit: string) => {
    if (!Number.isInteger(value) || value < min || value > max) fields.push({ field: `policy.${field}`, message: `must be a whole number of ${unit} from ${min} to ${max}` });
  };
  wholeIn("warrantyDays", input.warrantyDays, 0, maxPolicyDays, "days");
  wholeIn("returnDays", input.returnDays, 0, maxPolicyDays, "days");
  wholeIn("complaintResponseHours", input.complaintResponseHours, 1, maxResponseHours, "hours");
  if (input.kinds.length === 0) fields.push({ field: "policy.kinds", message: `must name at least one of ${caseKinds.join(", ")}` });
  input.kinds.forEach((kind, i) => {
    if (!isCaseKind(kind)) fields.push({ field: `policy.kinds[${i}]`, message: `must be one of ${caseKinds.join(", ")}` });
    else if (input.kinds.indexOf(kind) !== i) fields.push({ field: `policy.kinds[${i}]`, message: `names ${kind} twice` });
  });
  const process = input.process.trim();
  const liability = input.liability.trim();
  if (process.length > maxTextLength) fields.push({ field: "policy.process", message: `must be at most ${maxTextLength} characters` });
  if (liability.length > maxTextLength) fields.push({ field: "policy.liability", message: `must be at most ${maxTextLength} characters` });
  if (fields.length > 0) throw new ValidationError(fields);
  return {
    storeId,
    warrantyDays: input.warrantyDays,
    returnDays: input.returnDays,
    complaintResponseHours: input.complaintResponseHours,
    kinds: caseKinds.filter((kind) => input.kinds.includes(kind)),
    process,
    liability,
    updatedAt: now,
    updatedBy: by,
  };
}

export type PolicyJudgement = { withinPolicy: true } | { withinPolicy: false; note: string };

const dayOf = (time: Date) => time.toISOString().slice(0, 10);

/**
 * Whether a request of `kind` about the order is within the store's policy now, and if
 * not, why, in words the customer is told (naming the dates). Returns and exchanges need
 * goods delivered within the return period; repairs and maintenance a delivered order in
 * warranty; a complaint may come at any time. A kind the store does not take, goods that are
 * not goods, a period that ended: outside the policy. Not delivered yet, as far as
 * after-sales has heard, is no judgement at all (`notDeliveredYet`).
 */
export function judgeAgainstPolicy(kind: CaseKind, facts: OrderFacts, policy: Policy, now: Date): PolicyJudgement {
  if (!policy.kinds.includes(kind)) return { withinPolicy: false, note: `the store does not take ${kind} requests` };
  switch (kind) {
    case "complaint":
      return { withinPolicy: true };
    case "return":
    case "exchange":
      if (facts.kind !== "goods") return { withinPolicy: false, note: `a ${kind} is for goods; order ${facts.orderId} is not an order of goods` };
      return withinDeliveryPeriod(kind, facts, policy.returnDays, `the return period of ${policy.returnDays} days`, now);
    case "repair":
    case "maintenance":
      return withinDeliveryPeriod(kind, facts, policy.warrantyDays, `the warranty of ${policy.warrantyDays} days`, now);
    default: {
      const unknown: never = kind;
      throw new Error(`unknown case kind ${String(unknown)}`);
    }
  }
}

/**
 * A request that needs a delivered order, asked before after-sales heard of the delivery.
 * Refused, not recorded: fulfillment's events reach after-sales a moment after the customer
 * may have seen "delivered", and a case declined for it would answer every retry under its
 * id with that decline. Asked again once after-sales has heard, it is judged.
 */
export function notDeliveredYet(kind: CaseKind, facts: OrderFacts): IllegalStateError {
  return new IllegalStateError(
    "after-sales.not-delivered-yet",
    `order ${facts.orderId} is ${facts.status} as far as after-sales knows, not delivered yet; the ${kind} may be asked again once it is delivered`,
  );
}

/** An order that ended without reaching its customer will never be delivered: a request needing it is outside the policy, not early. */
const endedUndelivered: ReadonlySet<string> = new Set(["cancelled", "rejected"]);

function withinDeliveryPeriod(kind: CaseKind, facts: OrderFacts, days: number, period: string, now: Date): PolicyJudgement {
  if (!facts.deliveredAt && endedUndelivered.has(facts.status)) {
    return { withinPolicy: false, note: `order ${facts.orderId} was ${facts.status} before it was delivered: there is nothing to ${kind === "maintenance" ? "maintain" : kind}` };
  }
  if (!facts.deliveredAt) throw notDeliveredYet(kind, facts);
  if (withinPeriodAfterDelivery(facts, days, now)) return { withinPolicy: true };
  const ended = new Date(facts.deliveredAt.getTime() + days * 24 * 3600_000);
  return { withinPolicy: false, note: `${period} ended on ${dayOf(ended)} (delivered on ${dayOf(facts.deliveredAt)})` };
}
