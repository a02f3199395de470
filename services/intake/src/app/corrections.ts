import { randomUUID } from "node:crypto";
import type pg from "pg";
import { EventTypes, newEvent, type OrderEvent } from "@oms/contracts";
import { IllegalStateError, NotFoundError } from "@oms/errors";
import type { OutboxWriter } from "@oms/messaging";
import { withTransaction } from "@oms/postgres";
import type { FulfillmentOrders } from "../adapters/grpc-clients/fulfillment.ts";
import type { StoreCatalogue } from "../adapters/pg/catalogue-repository.ts";
import { correctionRepositoryOf } from "../adapters/pg/correction-repository.ts";
import { orderRepository, type IntakeOrderRecord } from "../adapters/pg/order-repository.ts";
import {
  assertCorrectable,
  correctedOrder,
  decideCorrection,
  fieldsOf,
  previousValuesOf,
  type CorrectionChanges,
  type CorrectionDecision,
} from "../domain/correction.ts";
import type { Store } from "../domain/store-catalogue.ts";
import { correctionViewOf, type CorrectionView } from "./correction-views.ts";
import type { OrderContacts } from "./order-contacts.ts";
import { queuePage, queuePageAsked } from "./queue-pages.ts";
import { commandRefusalFor } from "./fulfillment-handover.ts";
import { actorLabel, eventOriginOf, type PermittedContext, type RequestContext } from "./request-context.ts";

export interface CorrectionDeps {
  pool: pg.Pool;
  outbox: OutboxWriter;
  catalogue: StoreCatalogue;
  fulfillment: FulfillmentOrders;
  /** A correction changes the contact too: it is opened to be changed, and sealed again. */
  contacts: OrderContacts;
  now?: () => Date;
}

/**
 * An order taker (or a customer-service agent) files a correction for a supervisor. The
 * request is checked now, as the change would be applied (so a wrong phone number is sent
 * back at once, not found by the supervisor), and again when it is approved.
 */
export async function requestCorrection(
  deps: CorrectionDeps,
  context: PermittedContext<"request-correction">,
  orderId: string,
  request: { changes: CorrectionChanges; reason: string },
): Promise<CorrectionView> {
  const order = await handedOverOrder(deps.pool, orderId);
  const fields = fieldsOf(request.changes);
  const now = deps.now?.() ?? new Date();
  correctedOrder(deps.contacts.whole(order.canonical), request.changes, await storeOf(deps, order.storeId), now);
  assertCorrectable(orderId, await fulfillmentStatusOf(deps, orderId, context), fields);
  const correctionId = randomUUID();
  const view = await withTransaction(deps.pool, async (tx) => {
    const correction = await correctionRepositoryOf(deps.contacts).insertPending(tx, {
      correctionId,
      orderId,
      storeId: order.storeId,
      fields,
      changes: request.changes,
      reason: request.reason,
      requestedBy: actorLabel(context.caller),
      requestedAt: now,
    });
    await deps.outbox.append(tx, [newEvent(EventTypes.OrderCorrectionRequested, { correctionId, fields, reason: request.reason }, eventOriginOf(order, context, now))]);
    return correctionViewOf(correction);
  });
  context.logger.info({ orderId, correctionId, fields }, "correction requested");
  return view;
}

/**
 * A supervisor's decision. An approval applies the change to intake's record, keeps the
 * values it replaced on the correction (the audit entry), and tells the other services
 * with OrderCorrected, all in one transaction; fulfillment then re-plans what depends on it.
 */
export async function decideOnCorrection(
  deps: CorrectionDeps,
  context: PermittedContext<"decide-correction">,
  correctionId: string,
  decision: CorrectionDecision,
): Promise<CorrectionView> {
  const corrections = correctionRepositoryOf(deps.contacts);
  const pending = await corrections.findById(deps.pool, correctionId);
  if (!pending) throw new NotFoundError("correction.not-found", `correction ${correctionId} not found`);
  // The order may have moved on since the request: what was possible then may be too late now.
  if (decision.type === "approve" && pending.status === "pending") {
    assertCorrectable(pending.orderId, await fulfillmentStatusOf(deps, pending.orderId, context), pending.fields);
  }
  const store = await storeOf(deps, pending.storeId);
  const now = deps.now?.() ?? new Date();
  const by = actorLabel(context.caller);
  const view = await withTransaction(deps.pool, async (tx) => {
    const correction = await corrections.lock(tx, correctionId);
    if (!correction) throw new NotFoundError("correction.not-found", `correction ${correctionId} not found`);
    const outcome = decideCorrection(correction, decision, by);
    if (outcome.type === "unchanged") return correctionViewOf(correction);
    const order = await orderRepository.lock(tx, correction.orderId);
    if (!order) throw new Error(`correction ${correctionId} names order ${correction.orderId}, which intake does not have`);
    const origin = eventOriginOf(order, context, now);
    let event: OrderEvent;
    let decided;
    if (outcome.type === "apply") {
      const whole = deps.contacts.whole(order.canonical);
      const corrected = deps.contacts.seal(correctedOrder(whole, correction.changes, store, now));
      const previous = previousValuesOf(whole, correction.fields);
      await orderRepository.replaceCanonical(tx, order.orderId, corrected);
      decided = await corrections.decide(tx, correctionId, { status: "applied", by, text: outcome.note, at: now, previous });
      event = newEvent(EventTypes.OrderCorrected, { correctionId, fields: correction.fields, order: corrected, requestedBy: correction.requestedBy }, origin);
    } else {
      decided = await corrections.decide(tx, correctionId, { status: "rejected", by, text: outcome.reason, at: now });
      event = newEvent(EventTypes.OrderCorrectionRejected, { correctionId, reason: outcome.reason }, origin);
    }
    await deps.outbox.append(tx, [event]);
    return correctionViewOf(decided);
  });
  context.logger.info({ orderId: view.orderId, correctionId, status: view.status }, "correction decided");
  return view;
}

export async function correctionsOfOrder(deps: Pick<CorrectionDeps, "pool" | "contacts">, orderId: string): Promise<CorrectionView[]> {
  return (await correctionRepositoryOf(deps.contacts).listForOrder(deps.pool, orderId)).map(correctionViewOf);
}

/** The requests waiting for a supervisor, oldest first, a page at a time; `nextPageToken` only while another page follows. */
export async function pendingCorrections(
  deps: Pick<CorrectionDeps, "pool" | "contacts">,
  filter: { storeId: string | undefined; pageSize: number; pageToken: string },
): Promise<{ corrections: CorrectionView[]; nextPageToken?: string }> {
  const page = queuePageAsked(filter);
  const read = await correctionRepositoryOf(deps.contacts).listPending(deps.pool, filter.storeId, { size: page.size + 1, after: page.after });
  const { items, nextPageToken } = queuePage(read, page.size);
  return { corrections: items.map(correctionViewOf), ...(nextPageToken ? { nextPageToken } : {}) };
}

/** Orders still in (or refused in) manual review are the reviewer's: fulfillment has not got them. */
async function handedOverOrder(pool: pg.Pool, orderId: string): Promise<IntakeOrderRecord> {
  const order = await orderRepository.findById(pool, orderId);
  if (!order) throw new NotFoundError("order.not-found", `order ${orderId} not found`);
  if (order.status === "in-review") throw new IllegalStateError("order.in-review", `order ${orderId} waits for a reviewer; the reviewer decides on it as it is`);
  if (order.status === "rejected") throw new IllegalStateError("order.rejected", `order ${orderId} was rejected in review`);
  return order;
}

async function fulfillmentStatusOf(deps: CorrectionDeps, orderId: string, context: RequestContext): Promise<string> {
  try {
    return (await deps.fulfillment.getOrder(orderId, context.correlationId)).status;
  } catch (error) {
    throw await commandRefusalFor(deps.pool, orderId, error);
  }
}

async function storeOf(deps: CorrectionDeps, storeId: string): Promise<Store> {
  const { store } = await deps.catalogue.offerOf(storeId);
  if (!store) throw new Error(`store ${storeId} of an accepted order is not in the catalogue`);
  return store;
}
