import type { Consumer } from "kafkajs";
import { EventTypes, allTopics, caseIdOfVisitTask, decodeEnvelope, eventOf, physicalTopic } from "@oms/contracts";
import { CrashRecovery } from "@oms/messaging";
import { toolKafka } from "./tool-servers.ts";

/**
 * Follows every order of a namespace the way an analytics consumer would: on the public
 * event topics (fulfillment's order events, dispatch's assignments, billing's settlements).
 * It learns when each order reached each status (the event's time, i.e. when fulfillment
 * committed it), when the bench itself received that news (the earliest a simulated person
 * could notice it), and the ids the human steps need (reservation, task), counts assignment
 * decisions, and counts every topic's events by type (the other topics' envelopes are
 * read for that alone).
 */
export interface TrackedOrder {
  orderId: string;
  kind: string;
  /** The customer's id as the order names them ("" for a guest). */
  customerId: string;
  fulfillmentMethod: string;
  paymentMethod: string;
  prepaid: boolean;
  grandTotalMinor: number;
  currency: string;
  status: string;
  /** Epoch ms at which the order first reached each status (and facts: "task.assigned", "task.acknowledged"). */
  reachedAt: Map<string, number>;
  reservationId?: string;
  taskId?: string;
  staffId?: string;
  settlementPrepared?: number;
  /** Every delivery or service task fulfillment asked for (a split order has one per part). */
  tasksRequested: Set<string>;
  /** Each task's current assignee, and the assignments acknowledged ("<taskId> <staffId>"). */
  assignees: Map<string, string>;
  acknowledged: Set<string>;
  /** Each task's first assignee (a task handed on keeps it here), as the topic first named them. */
  firstAssignees: Map<string, string>;
}

/** A split order: its parts have tasks (and shipments) of their own. */
export const isSplit = (order: Pick<TrackedOrder, "tasksRequested">) => order.tasksRequested.size > 1;

export interface StatusReached {
  order: TrackedOrder;
  status: string;
  /** The event's time (occurredAt): when the system made the change. */
  at: number;
  /** When the bench received the event: the relay, Kafka and this consumer are the system's time, not a person's. */
  seenAt: number;
}

/** The events #take reads beyond their envelope. */
const trackedTypes: ReadonlySet<string> = new Set([
  EventTypes.OrderCreated,
  EventTypes.OrderStatusChanged,
  EventTypes.StockReservationRequested,
  EventTypes.AssignmentRequested,
  EventTypes.TaskAssigned,
  EventTypes.AssignmentAcknowledged,
  EventTypes.SettlementPrepared,
]);

export class OrderTracker {
  readonly orders = new Map<string, TrackedOrder>();
  /** Assignment decisions (TaskAssigned, TaskQueued) by second (epoch s). */
  readonly decisionsBySecond = new Map<number, number>();
  /** Events seen by type, including every redelivered copy. */
  readonly eventsSeen = new Map<string, number>();
  #consumer: Consumer;
  #stopped = false;
  readonly #listeners: ((reached: StatusReached) => void)[] = [];
  readonly #namespace: string;
  readonly #seenDecisionIds = new Set<string>();
  readonly #brokers: string[];
  readonly #groupId: string;
  /** Order id → status or fact → epoch ms at which its event reached the bench. */
  readonly #seenAt = new Map<string, Map<string, number>>();

  constructor(brokers: string[], namespace: string, groupSuffix = "tracker") {
    this.#namespace = namespace;
    this.#brokers = brokers;
    this.#groupId = `${namespace}.${groupSuffix}-${process.pid}`;
    this.#clientId = `oms-${groupSuffix}`;
    this.#consumer = this.#createConsumer();
  }

  readonly #clientId: string;

  /**
   * The fault harness restarts the broker; kafkajs may then give the tracker's consumer up
   * for good, and the simulated people would hear of no more changes: it is rebuilt, as
   * the services' consumers are.
   */
  #createConsumer(): Consumer {
    const consumer = toolKafka(this.#brokers, this.#clientId).consumer({
      groupId: this.#groupId,
      maxWaitTimeInMs: 20,
      sessionTimeout: 30_000,
      allowAutoTopicCreation: false,
    });
    this.#recovery.watch(consumer);
    return consumer;
  }

  readonly #recovery = new CrashRecovery({
    restart: async () => {
      await this.#consumer.disconnect().catch(() => {});
      this.#consumer = this.#createConsumer();
      await this.start();
    },
    stopped: () => this.#stopped,
    firstDelayMs: 500,
    maxDelayMs: 10_000,
  });

  onStatus(listener: (reached: StatusReached) => void): void {
    this.#listeners.push(listener);
  }

  /** When the bench received the event by which the order reached `status` (the latest one for a reassignment). */
  seenAt(orderId: string, status: string): number | undefined {
    return this.#seenAt.get(orderId)?.get(status);
  }

  async start(): Promise<void> {
    await this.#consumer.connect();
    const topics = allTopics.map((t) => physicalTopic(t, this.#namespace));
    await this.#consumer.subscribe({ topics, fromBeginning: true });
    await this.#consumer.run({
      partitionsConsumedConcurrently: 6,
      eachBatch: async ({ batch }) => {
        for (const message of batch.messages) if (message.value) this.#take(message.value);
      },
    });
  }

  /** Leaves the group and deletes it: a shared broker keeps no trace of the run. */
  async stop(): Promise<void> {
    this.#stopped = true;
    await this.#consumer.disconnect();
    const admin = toolKafka(this.#brokers, "oms-tracker-cleanup").admin();
    try {
      await admin.connect();
      await admin.deleteGroups([this.#groupId]);
    } catch {
      // Best effort: an empty group expires on its own.
    } finally {
      await admin.disconnect().catch(() => {});
    }
  }

  #take(value: Buffer): void {
    const seenAt = Date.now();
    let envelope;
    try {
      envelope = decodeEnvelope(value);
    } catch {
      return; // not ours to judge: the services dead-letter what they cannot read
    }
    this.eventsSeen.set(envelope.eventType, (this.eventsSeen.get(envelope.eventType) ?? 0) + 1);
    const at = envelope.occurredAt!.getTime();
    if (envelope.eventType === EventTypes.TaskAssigned || envelope.eventType === EventTypes.TaskQueued) {
      // A relay that died between publishing and marking republishes: a copy is not a decision.
      // (Statuses need no such set: an order reaches each status once, and that is checked.)
      if (this.#seenDecisionIds.has(envelope.eventId)) return;
      this.#seenDecisionIds.add(envelope.eventId);
      const second = Math.floor(at / 1000);
      this.decisionsBySecond.set(second, (this.decisionsBySecond.get(second) ?? 0) + 1);
    }
    // Most of the topics' events (an order's dozen status changes aside) tell the tracker
    // nothing: their payloads are not decoded, the bench's CPU being the system's too.
    if (!trackedTypes.has(envelope.eventType)) return;
    let event;
    try {
      event = eventOf(envelope);
    } catch {
      return;
    }
    if (!event) return;
    switch (event.type) {
      case EventTypes.OrderCreated: {
        const order = this.#order(event.orderId);
        const canonical = event.payload.order;
        order.kind = canonical?.kind ?? "";
        order.customerId = canonical?.customer?.customerId ?? "";
        order.fulfillmentMethod = canonical?.fulfillmentMethod ?? "";
        order.paymentMethod = canonical?.paymentMethod ?? "";
        order.prepaid = canonical?.prepaid ?? false;
        order.grandTotalMinor = canonical?.totals?.grandTotalMinor ?? 0;
        order.currency = canonical?.totals?.currency ?? "";
        this.#reach(order, event.payload.status || "received", at, seenAt);
        break;
      }
      case EventTypes.OrderStatusChanged:
        this.#reach(this.#order(event.orderId), event.payload.toStatus, at, seenAt);
        break;
      case EventTypes.StockReservationRequested:
        this.#order(event.orderId).reservationId = event.payload.reservationId;
        break;
      case EventTypes.AssignmentRequested: {
        const order = this.#order(event.orderId);
        order.taskId = event.payload.taskId;
        order.tasksRequested.add(event.payload.taskId);
        break;
      }
      case EventTypes.TaskAssigned: {
        // An after-sales visit is its case's, not the order's (ADR 025): the people following the order do not work it.
        if (caseIdOfVisitTask(event.payload.taskId)) break;
        const order = this.#order(event.orderId);
        order.staffId = event.payload.staffId;
        order.taskId = event.payload.taskId;
        order.assignees.set(event.payload.taskId, event.payload.staffId);
        if (!order.firstAssignees.has(event.payload.taskId)) order.firstAssignees.set(event.payload.taskId, event.payload.staffId);
        // Every assignment (a reassignment too) is news to its assignee.
        order.reachedAt.set("task.assigned", at);
        this.#notify(order, "task.assigned", at, seenAt);
        break;
      }
      case EventTypes.AssignmentAcknowledged: {
        if (caseIdOfVisitTask(event.payload.taskId)) break;
        const order = this.#order(event.orderId);
        order.reachedAt.set("task.acknowledged", at);
        order.acknowledged.add(`${event.payload.taskId} ${event.payload.staffId}`);
        break;
      }
      case EventTypes.SettlementPrepared:
        this.#order(event.orderId).settlementPrepared = at;
        this.#notify(this.#order(event.orderId), "settlement.prepared", at, seenAt);
        break;
      default:
        break;
    }
  }

  #order(orderId: string): TrackedOrder {
    let order = this.orders.get(orderId);
    if (!order) {
      order = {
        orderId,
        kind: "",
        customerId: "",
        fulfillmentMethod: "",
        paymentMethod: "",
        prepaid: false,
        grandTotalMinor: 0,
        currency: "",
        status: "",
        reachedAt: new Map(),
        tasksRequested: new Set(),
        assignees: new Map(),
        acknowledged: new Set(),
        firstAssignees: new Map(),
      };
      this.orders.set(orderId, order);
    }
    return order;
  }

  #reach(order: TrackedOrder, status: string, at: number, seenAt: number): void {
    order.status = status;
    if (order.reachedAt.has(status)) return;
    order.reachedAt.set(status, at);
    this.#notify(order, status, at, seenAt);
  }

  #notify(order: TrackedOrder, status: string, at: number, seenAt: number): void {
    let seen = this.#seenAt.get(order.orderId);
    if (!seen) this.#seenAt.set(order.orderId, (seen = new Map()));
    seen.set(status, seenAt);
    for (const listener of this.#listeners) listener({ order, status, at, seenAt });
  }

  /** Orders by their latest status. */
  statusCounts(orderIds?: Iterable<string>): Map<string, number> {
    const counts = new Map<string, number>();
    const ids = orderIds ?? this.orders.keys();
    for (const id of ids) {
      const status = this.orders.get(id)?.status || "not seen";
      counts.set(status, (counts.get(status) ?? 0) + 1);
    }
    return counts;
  }
}
