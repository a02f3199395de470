import { randomUUID } from "node:crypto";
import type pg from "pg";
import { EventTypes, newEvent, type Actor, type OrderEvent } from "@oms/contracts";
import { ConflictError, ValidationError } from "@oms/errors";
import type { StoreScope } from "@oms/identity";
import type { OutboxWriter } from "@oms/messaging";
import { storeAcceptances, type StoredAcceptance } from "../../adapters/pg/acceptance-store.ts";
import type { StoreCatalogue } from "../../adapters/pg/catalogue-repository.ts";
import { orderRepository, type IntakeOrderRecord } from "../../adapters/pg/order-repository.ts";
import type { FlaggedCustomers } from "../../adapters/pg/flagged-customer-repository.ts";
import type { ReviewRecord } from "../../adapters/pg/review-repository.ts";
import { channelAdapterOf, toCanonicalOrder } from "../../domain/channel-mapping.ts";
import type { ContactDigestOf } from "../../domain/customer-flag.ts";
import type { OrderSubmission } from "../../domain/order-submission.ts";
import { checkedOrderOf, preCheck, type CheckedOrder } from "../../domain/pre-check.ts";
import { assertMayMarkVip, customerKeysOf, reviewReasonsOf } from "../../domain/review.ts";
import { assertOrdersAsThemself, refusalNamesHolder } from "../../domain/callers-orders.ts";
import { pricingOf } from "../../domain/store-catalogue.ts";
import type { OrderContacts } from "../order-contacts.ts";
import { actorLabel, eventOriginOf, type RequestContext } from "../request-context.ts";
import { fingerprintOf } from "../request-fingerprint.ts";

/** Stores one checked order with its event, alone or in a batch (app/acceptance-batching.ts); true when the order was new. */
export type CommitAcceptance = (acceptance: Acceptance) => Promise<boolean>;

export interface AcceptOrderDeps {
  pool: pg.Pool;
  catalogue: StoreCatalogue;
  commit: CommitAcceptance;
  /** Customers whose orders go to manual review. */
  flaggedCustomers: FlaggedCustomers;
  /** Digests the order's phone and e-mail as flags are keyed (INTAKE_CUSTOMER_MATCHING_KEY): one HMAC per contact, no query. */
  contactDigestOf: ContactDigestOf;
  /** Seals each order's contact before it is stored or published. */
  contacts: OrderContacts;
  /** Injected in tests; the wall clock otherwise. */
  now?: () => Date;
}

export interface AcceptOrderInput {
  submission: OrderSubmission;
  /** The request's Idempotency-Key header: a repeat with the same key is the same order. */
  idempotencyKey?: string | undefined;
  /** The stores the caller's token holds them to: a refused repeat names another store's order to no staff of it (refusalNamesHolder). */
  callerScope: StoreScope;
}

export interface AcceptOrderResult {
  /** False when the request repeated one that was already accepted. */
  created: boolean;
  order: IntakeOrderRecord;
}

/**
 * A checked order ready to be stored, with the event that announces it: OrderReceived,
 * or OrderReviewRequested (with its review) when a reviewer must see it first.
 */
export type Acceptance = StoredAcceptance;

/**
 * Accepts an order once. The pre-check runs first; then the order and its OrderReceived
 * are written in one transaction. The same channel order (or Idempotency-Key) arriving
 * again, even at the same moment on another instance, finds the first one and is
 * answered with it: the unique constraints decide, not a prior read.
 */
export async function acceptOrder(deps: AcceptOrderDeps, context: RequestContext, input: AcceptOrderInput): Promise<AcceptOrderResult> {
  const { submission } = input;
  const holderKey = { channel: submission.channel, channelOrderId: submission.channelOrderId, idempotencyKey: input.idempotencyKey };
  const fingerprint = fingerprintOf(submission);

  assertMayMarkVip(context.caller, submission.customer);
  assertOrdersAsThemself(context.caller, { channel: submission.channel, customerId: submission.customer.customerId });
  const now = deps.now?.() ?? new Date();
  const verdict = preCheck(submission, await deps.catalogue.offerOf(submission.storeId, pricingOf(submission.channel)), now);
  if (verdict.verdict !== "passed") {
    // A repeat of an order accepted before a price or area changed is still that order.
    const existing = await orderRepository.findHolder(deps.pool, holderKey);
    if (existing) return { created: false, order: sameRequestOrRefuse(context.caller, input.callerScope, existing, holderKey, fingerprint) };
  }
  const checked = checkedOrderOf(verdict);
  const reviewReasons = reviewReasonsOf(checked, await deps.flaggedCustomers.anyFlagged(customerKeysOf(submission.customer, deps.contactDigestOf)));
  const acceptance = acceptanceOf(deps.contacts, checked, input, fingerprint, context, now, reviewReasons);

  if (await deps.commit(acceptance)) {
    const { orderId, storeId, reviewId } = acceptance.record;
    context.logger.info({ orderId, storeId, channel: submission.channel, reviewId }, reviewId ? "order accepted for manual review" : "order accepted");
    return { created: true, order: acceptance.record };
  }
  const holder = await orderRepository.findHolder(deps.pool, holderKey);
  if (!holder) throw new ConflictError("order.concurrent-acceptance", "a concurrent request for this order did not finish; retry");
  return { created: false, order: sameRequestOrRefuse(context.caller, input.callerScope, holder, holderKey, fingerprint) };
}

/**
 * Stores checked orders and their events together (one statement, one commit) and says
 * which were new (in the order given). Takes many so that concurrent requests share it.
 */
export async function commitAcceptances(deps: { pool: pg.Pool; outbox: OutboxWriter }, acceptances: readonly Acceptance[]): Promise<boolean[]> {
  const inserted = await storeAcceptances(deps.pool, deps.outbox, acceptances);
  return acceptances.map((a) => inserted.has(a.record.orderId));
}

export function acceptanceOf(
  contacts: OrderContacts,
  checked: CheckedOrder,
  input: Pick<AcceptOrderInput, "idempotencyKey">,
  fingerprint: string,
  context: RequestContext,
  now: Date,
  reviewReasons: readonly string[] = [],
): Acceptance {
  const { submission } = checked;
  const adapter = channelAdapterOf(submission.channel);
  if (!adapter) throw new ValidationError([{ field: "channel", message: "is not a channel intake takes orders from" }]);
  const orderId = randomUUID();
  // From here on the order is in its sealed form: stored, published and answered so.
  const canonical = contacts.seal(toCanonicalOrder(checked, { orderId, orderedAt: now, confirmedByChannel: adapter.confirmedByChannel(submission) }));
  const origin = eventOriginOf({ orderId, storeId: canonical.storeId }, context, now);
  const totals = canonical.totals!;
  const review: ReviewRecord | undefined =
    reviewReasons.length === 0
      ? undefined
      : {
          reviewId: randomUUID(),
          orderId,
          storeId: canonical.storeId,
          channel: canonical.channel,
          reasons: [...reviewReasons],
          grandTotalMinor: totals.grandTotalMinor,
          currency: totals.currency,
          status: "pending",
          requestedAt: now,
          decidedAt: undefined,
          decidedBy: undefined,
          decisionText: undefined,
        };
  // An order under review is announced as waiting; OrderReceived follows the reviewer's approval.
  const event: OrderEvent = review
    ? newEvent(
        EventTypes.OrderReviewRequested,
        { reviewId: review.reviewId, reasons: review.reasons, grandTotalMinor: totals.grandTotalMinor, channel: canonical.channel },
        origin,
      )
    : newEvent(EventTypes.OrderReceived, { order: canonical, reviewId: "" }, origin);
  return {
    event,
    review,
    record: {
      orderId,
      channel: canonical.channel,
      channelOrderId: canonical.channelOrderId,
      idempotencyKey: input.idempotencyKey,
      requestFingerprint: fingerprint,
      storeId: canonical.storeId,
      kind: canonical.kind,
      status: review ? "in-review" : "received",
      reviewId: review?.reviewId,
      canonical,
      actor: actorLabel(context.caller),
      correlationId: context.correlationId,
      eventId: event.eventId,
      receivedAt: now,
    },
  };
}

/**
 * The existing order when the request repeats the one that created it; a refusal when it reuses
 * its keys for other content, naming the order only to a caller who may be told it
 * (refusalNamesHolder: a guest order's id is its receipt, not to be had for a channel order id).
 */
function sameRequestOrRefuse(
  caller: Actor,
  callerScope: StoreScope,
  existing: IntakeOrderRecord,
  key: { channel: string; channelOrderId: string },
  fingerprint: string,
): IntakeOrderRecord {
  const held = { customerId: existing.canonical.customer?.customerId ?? "", channel: existing.channel, storeId: existing.storeId };
  const holder = refusalNamesHolder(caller, callerScope, held) ? ` ${existing.orderId}` : "";
  const sameChannelOrder = existing.channel === key.channel && existing.channelOrderId === key.channelOrderId;
  if (!sameChannelOrder) {
    const used = holder ? `order${holder}, another channel order` : "another channel order";
    throw new ConflictError("idempotency-key.reused", `this Idempotency-Key was already used for ${used}`);
  }
  if (existing.requestFingerprint !== fingerprint) {
    throw new ConflictError(
      "order.channel-order-taken",
      `channel order ${key.channel}/${key.channelOrderId} was already received${holder ? ` as order${holder}` : ""} with other content; ` +
        "changes to an accepted order go through a correction request",
    );
  }
  return existing;
}
