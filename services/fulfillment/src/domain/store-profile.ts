import { ValidationError, type FieldError } from "@oms/errors";

/**
 * What fulfillment keeps of a store's published profile (ADR 028): its promise to follow
 * up, escalate and cancel orders the customer has not confirmed. Intake publishes the whole
 * profile with its version; fulfillment applies a publication only when it is newer than
 * the version it holds, so a re-delivery or a replay of the topic changes nothing.
 */

/** The store's confirmation deadlines as one publication sets them, with the version they come from. */
export interface PublishedDeadlines {
  storeId: string;
  version: number;
  followUpHours: number;
  escalationHours: number;
  cancelHours: number;
}

/** The row of the chain's defaults ('*'), which no store's publication may replace. */
const defaultsRow = "*";

/**
 * The deadlines as fulfillment can time them: every one after the order, each after the
 * one before (intake validated the profile so). One it cannot time is refused naming the
 * field, and the consumer dead-letters it rather than time orders by it.
 */
export function assertTimeableDeadlines(published: PublishedDeadlines): PublishedDeadlines {
  const fields: FieldError[] = [];
  if (!published.storeId.trim() || published.storeId === defaultsRow) fields.push({ field: "store.storeId", message: `must name a store, got ${JSON.stringify(published.storeId)}` });
  if (!(Number.isInteger(published.version) && published.version >= 1)) fields.push({ field: "version", message: `must be a whole number from 1, got ${published.version}` });
  const hours = [
    ["store.confirmationFollowUpHours", published.followUpHours],
    ["store.confirmationEscalationHours", published.escalationHours],
    ["store.confirmationCancelHours", published.cancelHours],
  ] as const;
  for (const [field, value] of hours) if (!(Number.isFinite(value) && value > 0)) fields.push({ field, message: `must be a number of hours above 0, got ${value}` });
  if (fields.length === 0 && !(published.followUpHours < published.escalationHours && published.escalationHours < published.cancelHours)) {
    fields.push({ field: "store.confirmationEscalationHours", message: "the follow-up, the escalation and the cancellation must come in that order" });
  }
  if (fields.length > 0) {
    const why = fields.map((f) => `${f.field} ${f.message}`).join("; ");
    throw new ValidationError(fields, `the profile of ${published.storeId || "a store"} cannot be kept for its deadlines: ${why}`, "store-profile.invalid");
  }
  return published;
}
