import { systemActor, type Actor, type OrderEvent } from "@oms/contracts";
import type { OrderEventCause } from "./contract-events.ts";

/** Fulfillment reacting to another service's event: same correlation, caused by that event. */
export function causedBy(event: OrderEvent, actor: Actor = systemActor("fulfillment")): OrderEventCause {
  return {
    actor,
    correlationId: event.correlationId || event.eventId,
    causationId: event.eventId,
    traceparent: event.traceparent,
  };
}
