import { EventTypes, Topics, type OrderEvent, type OrderEventOf } from "@oms/contracts";
import { runsByKind, type BatchItem } from "@oms/messaging";
import type { ConsumerSpec } from "@oms/service-kit";
import { closeTasksOfOrders, lockOrdersToCancel } from "../../app/commands/close-tasks-of-orders.ts";
import { followServiceAcceptance, type AcceptanceDeps, type AcceptanceOutcome } from "../../app/commands/follow-service-acceptance.ts";
import { replanTasks, type ReplanDeps } from "../../app/commands/replan-tasks.ts";
import { pauseTasksOfOrders } from "../../app/commands/pause-tasks-of-orders.ts";
import { requestAssignments, type AssignmentRequest } from "../../app/commands/request-assignment.ts";
import { resumeTasksOfOrders, type ResumeDeps } from "../../app/commands/resume-tasks-of-orders.ts";
import { taskRepository } from "../../adapters/pg/task-repository.ts";
import { holdChangeOf, type HoldChange } from "../../domain/order-hold.ts";
import type { OrderEnd } from "../../domain/task.ts";

type Step =
  | { kind: "request"; request: AssignmentRequest }
  | { kind: "replan"; request: OrderEventOf<typeof EventTypes.AssignmentReplanRequested> }
  | { kind: "close"; orderId: string; end: OrderEnd; taskId?: string }
  | { kind: "acceptance"; outcome: AcceptanceOutcome }
  | { kind: "hold"; orderId: string; change: HoldChange; at: Date };

/**
 * Dispatch listens to fulfillment, a whole batch at a time: assignment requests become
 * pending tasks; re-plans move a task (store, region, window) and withdraw an assignee who
 * can no longer do it; delivered and cancelled orders close their tasks; a service order's
 * acceptance or rework settles its report or reopens its task; an order held for force
 * majeure pauses its tasks, and leaving that hold starts them again. Every other event on
 * the topic is not its business. Steps of one kind are applied set-wise, each order's
 * steps in the order they came, so that a request and a cancellation of one order keep
 * their order (orders are independent of one another: Kafka orders only per key).
 */
export function fulfillmentRequestsConsumer(deps: AcceptanceDeps & ReplanDeps & ResumeDeps): ConsumerSpec {
  const { schema } = deps;
  return {
    name: "dispatch",
    topics: [Topics.fulfillmentOrder],
    eventTypes: [EventTypes.AssignmentRequested, EventTypes.AssignmentReplanRequested, EventTypes.DeliveryRecorded, EventTypes.OrderCancelled, EventTypes.OrderStatusChanged],
    // Most of an order's status changes mean nothing here: passed over, they cost no inbox row.
    actsOn: (event) => stepsOf(event, deps).length > 0,
    handleBatch: async (items, { tx, logger }) => {
      const steps = items.flatMap(({ event }: BatchItem) => (event ? stepsOf(event, deps) : []));
      // Every order the batch cancels is locked before any run locks a task row, as a booking of it takes them.
      await lockOrdersToCancel(tx, steps.flatMap((s) => (s.kind === "close" && !s.taskId && s.end === "cancelled" ? [s.orderId] : [])));
      // Every task the batch's runs lock — the work each hold or resumption pauses or resumes, after-sales visits with it, the
      // tasks closed, re-planned or settled by an acceptance — in one statement in task id order before any run. Run by run, the
      // batch would take two orders' tasks out of the order the engine's batches and a batch of visit rejections take them in,
      // and deadlock with them (ADR 027's twenty-sixth- and twenty-seventh-session addenda, locks). Requests create tasks.
      const ordersTouched = new Set(steps.flatMap((s) => (s.kind === "close" || s.kind === "hold" ? [s.orderId] : s.kind === "acceptance" ? [s.outcome.orderId] : [])));
      const replanned = steps.flatMap((s) => (s.kind === "replan" ? [s.request.payload.taskId] : []));
      await taskRepository.lockAllOf(tx, [...ordersTouched], replanned);
      for (const run of runsByKind(steps, orderOf, (step) => step.kind)) {
        if (run[0]!.kind === "request") await requestAssignments(tx, schema, run.map((s) => (s as Extract<Step, { kind: "request" }>).request));
        else if (run[0]!.kind === "replan") await replanTasks(tx, deps, run.map((s) => (s as Extract<Step, { kind: "replan" }>).request), logger);
        else if (run[0]!.kind === "close") await closeTasksOfOrders(tx, schema, run.map((s) => s as Extract<Step, { kind: "close" }>));
        else if (run[0]!.kind === "hold") {
          // In the order they came: an order may be held and resumed within one batch.
          for (const step of run as Extract<Step, { kind: "hold" }>[]) {
            if (step.change === "pause") await pauseTasksOfOrders(tx, [{ orderId: step.orderId, at: step.at }], logger);
            else await resumeTasksOfOrders(tx, deps, [step.orderId], logger);
          }
        } else await followServiceAcceptance(tx, deps, run.map((s) => (s as Extract<Step, { kind: "acceptance" }>).outcome));
      }
    },
  };
}

function stepsOf(event: OrderEvent, deps: { clock: () => Date }): Step[] {
  switch (event.type) {
    case EventTypes.AssignmentRequested:
      return [{ kind: "request", request: event }];
    case EventTypes.AssignmentReplanRequested:
      return [{ kind: "replan", request: event }];
    case EventTypes.DeliveryRecorded:
      // A split order is delivered part by part: only that part's task is done.
      return [{ kind: "close", orderId: event.orderId, end: "delivered", ...(event.payload.taskId ? { taskId: event.payload.taskId } : {}) }];
    case EventTypes.OrderCancelled:
      // A cancellation closes the order's tasks, and ends its hold: an after-sales visit paused
      // with it runs again (ADR 025, twenty-sixth-session addendum).
      return [
        { kind: "close", orderId: event.orderId, end: "cancelled" },
        { kind: "hold", orderId: event.orderId, change: "resume", at: deps.clock() },
      ];
    case EventTypes.OrderStatusChanged: {
      const to = event.payload.toStatus;
      const hold = holdChangeOf(event.payload);
      if (hold) {
        // Never after now: a hold announced late still began when it was announced.
        const at = new Date(Math.min(event.occurredAt.getTime(), deps.clock().getTime()));
        return [{ kind: "hold", orderId: event.orderId, change: hold, at }];
      }
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
  if (step.kind === "close" || step.kind === "hold") return step.orderId;
  return step.outcome.orderId;
}
