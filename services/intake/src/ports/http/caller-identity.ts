import type { Actor } from "@oms/contracts";
import { UnauthenticatedError } from "@oms/errors";
import { anonymousCustomerId } from "../../domain/permissions.ts";

/** A caller that did not say who it is: a customer ordering without an account. */
export const anonymousCustomer: Actor = { kind: "customer", id: anonymousCustomerId, role: "customer" };

const idPattern = /^[A-Za-z0-9][A-Za-z0-9._@-]{0,63}$/;
const rolePattern = /^[a-z][a-z0-9-]{0,39}$/;

/**
 * The caller's identity from the `X-Actor` header: `staff:<id>:<role>`,
 * `customer:<id>` or `platform:<name>`. Until callers authenticate (an API gateway or
 * tokens), this header is trusted; it is the one place where that changes. "system" is
 * not something an outside caller can be.
 */
export function callerOf(header: string | string[] | undefined): Actor {
  if (header === undefined || header === "") return anonymousCustomer;
  if (typeof header === "string") {
    const [kind, id = "", role, ...rest] = header.trim().split(":");
    if (idPattern.test(id) && rest.length === 0) {
      if (kind === "staff" && role !== undefined && rolePattern.test(role)) return { kind, id, role };
      if ((kind === "customer" || kind === "platform") && role === undefined) return { kind, id, role: kind };
    }
  }
  throw new UnauthenticatedError("caller.malformed", "X-Actor must be staff:<id>:<role>, customer:<id> or platform:<name>");
}
