import type { dispatchApi } from "@oms/contracts";
import type { Actor } from "@oms/contracts";
import { ForbiddenError, UnauthenticatedError } from "@oms/errors";

/** The staff member calling (as the gateway authenticated them); only staff answer their own assignments. */
export function staffCaller(caller: dispatchApi.Caller | undefined): Actor {
  if (!caller || !caller.id) throw new UnauthenticatedError("caller.missing", "the request does not say who is calling");
  if (caller.kind !== "staff") throw new ForbiddenError("dispatch.staff-only", "only the assigned staff member may answer an assignment");
  return { kind: "staff", id: caller.id, role: caller.role || "staff" };
}
