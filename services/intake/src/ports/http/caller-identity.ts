import type { FastifyInstance, FastifyRequest } from "fastify";
import type { Actor } from "@oms/contracts";
import { chainWide, type CallerVerifier, type StoreScope } from "@oms/identity";
import { anonymousCustomerId } from "../../domain/callers-orders.ts";

/** A caller that did not say who it is: a customer ordering without an account. */
export const anonymousCustomer: Actor = { kind: "customer", id: anonymousCustomerId, role: "customer" };

declare module "fastify" {
  interface FastifyRequest {
    /** Who the request's bearer token proves the caller is (the anonymous customer without one). */
    caller: Actor;
    /** Where the caller may act, as their token says (ports/http/store-scope.ts holds them to it). */
    storeScope: StoreScope;
  }
  interface FastifyContextConfig {
    /** The route proves its caller itself (a marketplace's signature): no token is read. */
    callerProvenByRoute?: boolean;
  }
}

/**
 * Every request's caller, from its `Authorization: Bearer <token>` before anything else
 * is read: so a bad token is a 401 before any 403 or 400, and no route can forget to ask.
 * This is the one place a caller's identity comes from (besides routes that prove their
 * own caller); the token's issuer, audience and keys are the composition root's.
 */
export function registerCallerAuthentication(app: FastifyInstance, verify: CallerVerifier): void {
  // Fastify refuses an object as a request decoration's default (it would be shared); every request sets its own.
  app.decorateRequest("caller", null as unknown as Actor);
  app.decorateRequest("storeScope", null as never);
  app.addHook("onRequest", async (request: FastifyRequest) => {
    const verified = request.routeOptions.config.callerProvenByRoute ? undefined : await verify(request.headers.authorization);
    request.caller = verified?.actor ?? anonymousCustomer;
    request.storeScope = verified?.scope ?? chainWide;
  });
}
