import type { Actor, EventOrigin } from "@oms/contracts";
import type { Logger } from "@oms/observability";
import { assertPermitted, type GatewayAction } from "../domain/permissions.ts";

/**
 * What every use case gets besides its input. The caller's identity is a first-class
 * input: it is what events and timelines record as "who", and where authorization will
 * plug in once callers authenticate.
 */
export interface RequestContext {
  caller: Actor;
  /** The request's id; every event the request causes carries it as correlation id. */
  correlationId: string;
  /** W3C trace context of the request, empty when not traced. */
  traceparent: string;
  /** Carries the correlation id (and the order id once known); never give it personal data. */
  logger: RequestLogger;
}

/**
 * What a use case may do with its request's logger: write lines. Over HTTP it is the
 * request's pino child made on its first line (ports/http/child-logger-on-first-line.ts),
 * which answers no more than this.
 */
export type RequestLogger = Pick<Logger, "trace" | "debug" | "info" | "warn" | "error" | "fatal">;

/**
 * A request whose caller may take the step `A` (domain/permissions.ts). Use cases of
 * role-bound steps take this type, so none can be reached without the check.
 */
export interface PermittedContext<A extends GatewayAction> extends RequestContext {
  permitted: A;
}

/** Checks the caller against the gateway's permissions, before anything else of the request is read. */
export function permittedContext<A extends GatewayAction>(context: RequestContext, action: A): PermittedContext<A> {
  assertPermitted(context.caller, action);
  return { ...context, permitted: action };
}

/** An actor as timelines spell it, e.g. "customer:c-42". */
export function actorLabel(actor: Actor): string {
  return `${actor.kind}:${actor.id}`;
}

/** Where the events a request causes for an order come from: intake, this caller, this request's ids. */
export function eventOriginOf(order: { orderId: string; storeId: string }, context: RequestContext, now: Date): EventOrigin {
  return {
    producer: "intake",
    orderId: order.orderId,
    storeId: order.storeId,
    actor: context.caller,
    correlationId: context.correlationId,
    traceparent: context.traceparent,
    now,
  };
}
