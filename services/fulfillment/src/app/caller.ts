import type { fulfillmentApi } from "@oms/contracts";
import { UnauthenticatedError, ValidationError } from "@oms/errors";
import type { Actor } from "../domain/order.ts";

const kinds = new Set<Actor["kind"]>(["staff", "customer", "platform", "system"]);

/**
 * The caller's identity is an input of every command: it is what the timeline records
 * as "who", and the one place where authentication and the permission matrix plug in.
 */
export function actorOf(caller: fulfillmentApi.CallerIdentity | undefined): Actor {
  if (!caller || !caller.id) throw new UnauthenticatedError("caller.missing", "the request does not say who is calling");
  if (!kinds.has(caller.kind as Actor["kind"])) {
    throw new ValidationError([{ field: "caller.kind", message: `must be one of ${[...kinds].join(", ")}` }]);
  }
  return { kind: caller.kind as Actor["kind"], id: caller.id, role: caller.role || caller.kind };
}
