import type { FastifyRequest } from "fastify";
import type { Actor } from "@oms/contracts";
import { permittedContext, type PermittedContext, type RequestContext, type RequestLogger } from "../../app/request-context.ts";
import type { GatewayAction } from "../../domain/permissions.ts";

/**
 * Who asks, under which request id: built once per request, before anything else is read.
 * `authenticated` is a caller the route proved itself (a marketplace's signature); otherwise the
 * caller the request's token proved (registerCallerAuthentication).
 */
export function requestContextOf(request: FastifyRequest, authenticated?: Actor): RequestContext {
  const traceparent = request.headers.traceparent;
  return {
    caller: authenticated ?? request.caller,
    correlationId: request.id,
    traceparent: typeof traceparent === "string" ? traceparent : "",
    // Fastify types its logger narrowly; the instance writes pino's child's lines (childLoggerOnFirstLine).
    logger: request.log as unknown as RequestLogger,
  };
}

/** The request's context once its caller may take the step: 401, then 403, come before any 400 about the body. */
export function permittedContextOf<A extends GatewayAction>(request: FastifyRequest, action: A): PermittedContext<A> {
  return permittedContext(requestContextOf(request), action);
}
