import { EventTypes, Topics, type OrderEvent, type OrderEventOf } from "@oms/contracts";
import { runsByKind, type BatchItem } from "@oms/messaging";
import type { ConsumerSpec } from "@oms/service-kit";
import { closeTasksOfOrders } from "../../app/commands/close-tasks-of-orders.ts";
import { followServiceAcceptance, type AcceptanceDeps, type AcceptanceOutcome } from "../../app/commands/follow-service-acceptance.ts";
import { replanTasks, type ReplanDeps } from "../../app/commands/replan-tasks.ts";
import { requestAssignments, type AssignmentRequest } from "../../app/commands/request-assignment.ts";
import type { OrderEnd } from "../../domain/task.ts";

type Step =
  | { kind: "request"; request: AssignmentRequest }
  | { kind: "replan"; request: OrderEventOf<typeof EventTypes.AssignmentReplanRequested> }
  | { kind: "close"; orderId: string; end: OrderEnd; taskId?: string }
  | { kind: "acceptance"; outcome: AcceptanceOutcome };

/**
 * Dispatch listens to fulfillment, a whole batch at a time: assignment requests become
 * pending tasks; re-plans move a task (store, region, window) and withdraw an assignee who
 * can no longer do it; delivered and cancelled orders close their tasks; a service order's
 * acceptance or rework settles its report or reopens its task. Every other event on
 * the topic is not its business. Steps of one kind are applied set-wise, each order's
 * steps in the order they came, so that a request and a cancellation of one order keep
 * their order (orders are independent of one another: Kafka orders only per key).
 */
export function fulfillmentRequestsConsumer(deps: AcceptanceDeps & ReplanDeps): ConsumerSpec {
  const { schema } = deps;
  return {
    name: "dispatch",
    topics: [Topics.fulfillmentOrder],
    eventTypes: [EventTypes.AssignmentRequested, EventTypes.AssignmentReplanRequested, EventTypes.DeliveryRecorded, EventTypes.OrderCancelled, EventTypes.OrderStatusChanged],
    // Most of an order's status changes mean nothing here: passed over, they cost no inbox row.
    actsOn: (event) => stepsOf(event).length > 0,
    handleBatch: async (items, { tx, logger }) => {
      for (const run of runsByKind(items.flatMap(({ event }: BatchItem) => (event ? stepsOf(event) : [])), orderOf, (step) => step.kind)) {
        if (run[0]!.kind === "request") await requestAssignments(tx, schema, run.map((s) => (s as Extract<Step, { kind: "request" }>).request));
        else if (run[0]!.kind === "replan") await replanTasks(tx, deps, run.map((s) => (s as Extract<Step, { kind: "replan" }>).request), logger);
        else if (run[0]!.kind === "close") await closeTasksOfOrders(tx, schema, run.map((s) => s as Extract<Step, { kind: "close" }>));
        else await followServiceAcceptance(tx, deps, run.map((s) => (s as Extract<Step, { kind: "acceptance" }>).outcome));
      }
    },
  };
}

function stepsOf(event: OrderEvent): Step[] {
  switch (event.type) {
    case EventTypes.AssignmentRequested:
      return [{ kind: "request", request: event }];
    case EventTypes.AssignmentReplanRequested:
      return [{ kind: "replan", request: event }];
    case EventTypes.DeliveryRecorded:
      // A split order is delivered part by part: only that part's task is done.
      return [{ kind: "close", orderId: event.orderId, end: "delivered", ...(event.payload.taskId ? { taskId: event.payload.taskId } : {}) }];
    case EventTypes.OrderCancelled:
      return [{ kind: "close", orderId: event.orderId, end: "cancelled" }];
    case EventTypes.OrderStatusChanged: {
      const to = event.payload.toStatus;
      if (to !== "rework" && to !== "accepted" && to !== "completed") return [];
      const outcome: AcceptanceOutcome = {
        orderId: event.orderId,
        answer: to === "rework" ? "rework" : "accepted",
        reason: event.payload.reason,
        at: event.occurredAt,
        eventId: event.eventId,
        correlationId: event.correlationId,
        traceparent: event.traceparent,
      };
      // An accepted order's tasks are done even if its delivery was never announced to dispatch.
      return to === "rework" ? [{ kind: "acceptance", outcome }] : [{ kind: "acceptance", outcome }, { kind: "close", orderId: event.orderId, end: "delivered" }];
    }
    default:
      return [];
  }
}

function orderOf(step: Step): string {
  if (step.kind === "request") return step.request.orderId;
  if (step.kind === "replan") return step.request.orderId;
  if (step.kind === "close") return step.orderId;
  return step.outcome.orderId;
}
