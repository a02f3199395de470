import { EventTypes, Topics, decodeEnvelope, decodeEvent, storeLevelEventTypes } from "@oms/contracts";
import { isPlanted, n, result, type CheckContext, type InvariantResult } from "./context.ts";

/**
 * Every order intake accepted — answered to the driver, or accepted while its answer was
 * lost to a fault — exists once in intake, once in fulfillment and has a dossier; no
 * order exists that the driver did not send; no channel order became two orders.
 */
export async function noOrderLostOrDuplicated(context: CheckContext): Promise<InvariantResult> {
  const { db, accepted, sent } = context;
  const intake = await db.query<{ order_id: string; channel_order_id: string }>("SELECT order_id, channel_order_id FROM intake.orders");
  const fulfillment = new Set((await db.query<{ order_id: string }>("SELECT order_id FROM fulfillment.orders")).rows.map((r) => r.order_id));
  const dossiers = new Set((await db.query<{ order_id: string }>("SELECT order_id FROM archive.dossiers")).rows.map((r) => r.order_id));
  const failures: string[] = [];
  const intakeIds = new Set(intake.rows.map((r) => r.order_id));
  const byChannelOrder = new Map<string, number>();
  for (const row of intake.rows) {
    byChannelOrder.set(row.channel_order_id, (byChannelOrder.get(row.channel_order_id) ?? 0) + 1);
    if (!sent.has(row.channel_order_id)) failures.push(`intake holds ${row.order_id} (${row.channel_order_id}), which the driver never sent`);
    if (!fulfillment.has(row.order_id)) failures.push(`order ${row.order_id} accepted by intake is missing in fulfillment`);
    if (!dossiers.has(row.order_id)) failures.push(`order ${row.order_id} has no dossier in the archive`);
  }
  for (const [channelOrderId, count] of byChannelOrder) if (count > 1) failures.push(`channel order ${channelOrderId} is ${count} orders`);
  for (const [orderId, order] of accepted) {
    if (!intakeIds.has(orderId)) failures.push(`order ${orderId} (${order.channelOrderId}) was answered as accepted but intake does not have it`);
  }
  for (const id of fulfillment) if (!intakeIds.has(id)) failures.push(`fulfillment has ${id}, which intake never accepted`);
  const answerLost = intake.rows.filter((r) => !accepted.has(r.order_id)).length;
  return result(
    "no order lost, none duplicated",
    failures,
    `${n(intake.rows.length)} accepted by intake (${n(accepted.size)} answered, ${n(answerLost)} whose answer was lost), ` +
      `${n(fulfillment.size)} in fulfillment, ${n(dossiers.size)} dossiers; ${n(failures.length)} discrepancies`,
  );
}

/** Every accepted order is where the lifecycle leaves it today: closed, cancelled by its customer, or the first step the system does not offer yet. */
export async function everyOrderReachedItsEnd(context: CheckContext): Promise<InvariantResult> {
  const { rows } = await context.db.query<{ order_id: string; status: string; kind: string; body: Record<string, unknown>; awaited: boolean }>(
    `SELECT order_id, status, kind, body,
            EXISTS (SELECT 1 FROM fulfillment.timeline t WHERE t.order_id = o.order_id AND t.what = 'order.awaiting-confirmation') AS awaited
     FROM fulfillment.orders o`,
  );
  const failures: string[] = [];
  const byStatus = new Map<string, number>();
  for (const row of rows) {
    byStatus.set(row.status, (byStatus.get(row.status) ?? 0) + 1);
    const expected = context.endOf({
      orderId: row.order_id,
      kind: row.kind,
      fulfillmentMethod: String(row.body.fulfillmentMethod ?? ""),
      paymentMethod: String(row.body.paymentMethod ?? ""),
      prepaid: row.body.prepaid === true,
      customerId: String(row.body.customerId ?? ""),
      awaitedConfirmation: row.awaited,
    });
    if (row.status !== expected) failures.push(`order ${row.order_id} (${row.kind}/${String(row.body.fulfillmentMethod)}) is ${row.status}, expected ${expected}`);
  }
  const statuses = [...byStatus].sort((a, b) => b[1] - a[1]).map(([s, c]) => `${s} ${n(c)}`).join(", ");
  return result("every accepted order reached the state it should", failures, `${n(rows.length - failures.length)} of ${n(rows.length)} at their end (${statuses || "none"})`);
}

/**
 * Each status an order passed through is on its timeline once: no step was applied twice. On hold
 * is the one status an order may enter again for another cause — an on-credit order held for its
 * credit, approved, then held for stock that ran short (the exchange desk's planted shortages make
 * it happen) — so a hold counts once per cause (its reason), every other status once.
 */
export async function eachStepRecordedOnce(context: CheckContext): Promise<InvariantResult> {
  const { rows } = await context.db.query<{ order_id: string; what: string; times: number }>(
    `SELECT order_id, what, count(*)::int AS times FROM fulfillment.timeline
     WHERE what LIKE 'order.%'
     GROUP BY order_id, what, CASE WHEN what = 'order.on-hold' THEN detail ELSE '' END
     HAVING count(*) > 1`,
  );
  const total = await context.db.query<{ entries: number }>("SELECT count(*)::int AS entries FROM fulfillment.timeline");
  return result(
    "each step applied exactly once",
    rows.map((r) => `order ${r.order_id}: ${r.what} recorded ${r.times} times`),
    `${n(total.rows[0]?.entries ?? 0)} timeline entries, ${n(rows.length)} steps recorded twice`,
  );
}

/** A decision is one event: a redelivery may copy it on the topic, never decide it again under a new id. */
const oncePerOrder: string[] = [
  EventTypes.OrderReceived,
  EventTypes.OrderCreated,
  EventTypes.StockReservationRequested,
  EventTypes.StockReserved,
  EventTypes.StockReleaseRequested,
  EventTypes.StockReleased,
  EventTypes.AssignmentRequested,
  EventTypes.SettlementRequested,
  EventTypes.SettlementPrepared,
  EventTypes.ShipmentRequested,
  EventTypes.DeliveryRecorded,
  EventTypes.OrderSettled,
  EventTypes.OrderCancelled,
];

/**
 * A split order decides a task, a shipment and a delivery per part: those decisions are
 * once per part, named by the part's task or reservation. An order waiting for stock (a
 * backorder) asks for a new reservation each time stock comes in: once per reservation. Stock is released once per
 * reservation: a split order's parts, and a reservation superseded or arriving after the
 * cancellation, each give theirs back.
 */
function subjectOf(value: Buffer): string {
  const event = decodeEvent(value);
  switch (event?.type) {
    case EventTypes.AssignmentRequested:
      return event.payload.taskId.includes("/task/part-") ? ` ${event.payload.taskId}` : "";
    case EventTypes.ShipmentRequested:
      return event.payload.reservationId.includes("/part/") ? ` ${event.payload.reservationId}` : "";
    case EventTypes.DeliveryRecorded:
      return event.payload.taskId ? ` ${event.payload.taskId}` : "";
    // An order on hold for stock asks again when stock comes in, under a reservation id of its own
    // (`<orderId>/reservation/<n>`): each reservation is asked for, and reserved, once.
    case EventTypes.StockReservationRequested:
    case EventTypes.StockReserved:
    case EventTypes.StockReleaseRequested:
    case EventTypes.StockReleased:
      return ` ${event.payload.reservationId}`;
    default:
      return "";
  }
}

export async function eachDecisionPublishedOnce(context: CheckContext): Promise<InvariantResult> {
  const idsByOrderAndType = new Map<string, Set<string>>();
  let messages = 0;
  let copies = 0;
  const seen = new Set<string>();
  for (const topic of Object.values(Topics)) {
    for (const message of context.topics.get(topic) ?? []) {
      if (!message.value || isPlanted(context, message.value)) continue;
      let envelope;
      try {
        envelope = decodeEnvelope(message.value);
      } catch {
        continue; // planted poison: the DLQ check accounts for it
      }
      messages++;
      if (seen.has(envelope.eventId)) copies++;
      seen.add(envelope.eventId);
      if (!oncePerOrder.includes(envelope.eventType)) continue;
      const key = `${envelope.orderId} ${envelope.eventType.replace("oms.events.v1.", "")}${subjectOf(message.value)}`;
      let ids = idsByOrderAndType.get(key);
      if (!ids) idsByOrderAndType.set(key, (ids = new Set()));
      ids.add(envelope.eventId);
    }
  }
  const failures = [...idsByOrderAndType].filter(([, ids]) => ids.size > 1).map(([key, ids]) => `${key} decided ${ids.size} times (${[...ids].join(", ")})`);
  return result(
    "every decision published exactly once",
    failures,
    `${n(messages)} events on the topics, ${n(seen.size)} distinct, ${n(copies)} republished copies (harmless), ${n(failures.length)} decisions made twice`,
  );
}

/**
 * The archive filed every order event on the topics, under the order, type and topic it
 * was published with, and holds nothing that was never published; each dossier counts
 * its entries. (An event is filed once by the archive's key: event_id is UNIQUE.) Stock
 * counts and receipts are about a store, not an order: no dossier holds them.
 */
export async function archiveFiledEveryEvent(context: CheckContext): Promise<InvariantResult> {
  const onTopics = new Map<string, string>();
  for (const topic of Object.values(Topics)) {
    for (const message of context.topics.get(topic) ?? []) {
      if (!message.value || isPlanted(context, message.value)) continue;
      let envelope;
      try {
        envelope = decodeEnvelope(message.value);
      } catch {
        continue; // planted poison: the DLQ check accounts for it
      }
      if (!storeLevelEventTypes.has(envelope.eventType)) onTopics.set(envelope.eventId, filingOf(envelope.orderId, envelope.eventType, topic));
    }
  }
  const filed = await context.db.query<{ event_id: string; order_id: string; event_type: string; topic: string }>(
    "SELECT event_id, order_id, event_type, topic FROM archive.dossier_entries",
  );
  const failures: string[] = [];
  const filedAs = new Map(filed.rows.map((r) => [r.event_id, filingOf(r.order_id, r.event_type, r.topic)]));
  for (const [id, filing] of onTopics) {
    const entry = filedAs.get(id);
    if (entry === undefined) failures.push(`event ${id} (${filing}) is on a topic but not in any dossier`);
    else if (entry !== filing) failures.push(`event ${id} (${filing}) is filed as ${entry}`);
  }
  for (const [id, entry] of filedAs) if (!onTopics.has(id)) failures.push(`dossier entry ${id} (${entry}) is no event on the topics`);
  const miscounted = await context.db.query<{ order_id: string; entry_count: number; entries: number }>(`
    SELECT d.order_id, d.entry_count, count(e.event_id)::int AS entries
    FROM archive.dossiers d LEFT JOIN archive.dossier_entries e USING (order_id)
    GROUP BY d.order_id, d.entry_count HAVING d.entry_count <> count(e.event_id)`);
  for (const r of miscounted.rows) failures.push(`dossier ${r.order_id} counts ${r.entry_count} entries but holds ${r.entries}`);
  return result(
    "the archive filed every event, and nothing else",
    failures,
    `${n(onTopics.size)} distinct order events on the topics, ${n(filed.rows.length)} dossier entries; ${n(failures.length)} missing, misfiled or not on the topics`,
  );
}

const filingOf = (orderId: string, eventType: string, topic: string) => `${eventType.replace("oms.events.v1.", "")} of order ${orderId} on ${topic}`;
