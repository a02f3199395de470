import type { Actor, warehouseApi } from "@oms/contracts";
import { ForbiddenError, UnauthenticatedError, ValidationError } from "@oms/errors";

const kinds = new Set<Actor["kind"]>(["staff", "customer", "platform", "system"]);

/**
 * Who is calling a warehouse command: recorded as "who" on the ledger, the reservation's
 * steps and the events. Picking, packing, shipping, counting and receiving are done by
 * the store's staff, so nobody else may ask for them.
 */
export function staffActorOf(caller: warehouseApi.Caller | undefined): Actor {
  if (!caller || !caller.id) throw new UnauthenticatedError("caller.missing", "the request does not say who is calling");
  if (!kinds.has(caller.kind as Actor["kind"])) {
    throw new ValidationError([{ field: "caller.kind", message: `must be one of ${[...kinds].join(", ")}` }]);
  }
  if (caller.kind !== "staff") throw new ForbiddenError("warehouse.staff-only", `only the store's staff work the warehouse; the caller is ${caller.kind}`);
  return { kind: "staff", id: caller.id, role: caller.role || "staff" };
}
