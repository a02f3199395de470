import { STATUS_CODES } from "node:http";
import type { Duplex } from "node:stream";
import type { FastifyInstance } from "fastify";
import { ConflictError, UnauthenticatedError, UnavailableError, isDomainError, toProblemDetails, type ProblemDetails } from "@oms/errors";
import { StaleVersionError } from "../../domain/catalogue-version.ts";
import { OutOfServiceScopeError } from "../../domain/pre-check.ts";
import { IntakeOverloadedError } from "./load-shedding.ts";

export interface HttpProblem {
  status: number;
  body: ProblemDetails;
  headers: Record<string, string>;
}

const retryable = new Set(["order.not-yet-handed-over", "order.concurrent-acceptance"]);

/**
 * Every failure as RFC 9457 problem details, decided in this one place: domain errors
 * (raised here or returned by other services over gRPC) by their kind, with an order
 * the store does not serve as 422; the framework's own 4xx (bad JSON, too large) as they
 * are; anything else as an opaque 500.
 */
export function problemOf(error: unknown): HttpProblem {
  if (error instanceof OutOfServiceScopeError) {
    return {
      status: 422,
      body: { ...toProblemDetails(error), status: 422, type: "https://oms.example/problems/out-of-scope", title: "The store does not serve this order" },
      headers: {},
    };
  }
  if (error instanceof StaleVersionError) {
    // If-Match named a version that is no longer the one in force (RFC 9110's 412).
    return { status: 412, body: { ...toProblemDetails(error), status: 412, type: "https://oms.example/problems/precondition-failed", title: "Changed meanwhile" }, headers: {} };
  }
  if (error instanceof IntakeOverloadedError) {
    return { status: 503, body: toProblemDetails(error), headers: { "retry-after": String(error.retryAfterSeconds) } };
  }
  if (isDomainError(error)) {
    const body = toProblemDetails(error);
    const retry = error instanceof UnavailableError || (error instanceof ConflictError && retryable.has(error.code));
    // A marketplace proves itself by its signature, not a token: no bearer challenge for it.
    if (error instanceof UnauthenticatedError && !error.code.startsWith("platform.")) return { status: body.status, body, headers: { "www-authenticate": bearerChallengeOf(error) } };
    return { status: body.status, body, headers: retry ? { "retry-after": "1" } : {} };
  }
  if (isUnimplementedCall(error)) {
    // The owning service runs a version without this command yet (gRPC UNIMPLEMENTED).
    return {
      status: 501,
      body: {
        type: "https://oms.example/problems/not-implemented",
        title: "Not offered yet",
        status: 501,
        detail: "the service that owns this step does not offer it yet",
        code: "dependency.not-implemented",
      },
      headers: {},
    };
  }
  const framework = error as { statusCode?: unknown; code?: unknown; message?: unknown };
  if (typeof framework.statusCode === "number" && framework.statusCode >= 400 && framework.statusCode < 500) {
    // Fastify's own messages (bad JSON, too large, media type) name the problem without echoing the body.
    const code = typeof framework.code === "string" ? framework.code.replace(/^FST_ERR_/, "").toLowerCase().replace(/_/g, "-") : "invalid";
    return {
      status: framework.statusCode,
      body: {
        type: "https://oms.example/problems/bad-request",
        title: "The request cannot be read",
        status: framework.statusCode,
        detail: String(framework.message),
        code: `request.${code}`,
      },
      headers: {},
    };
  }
  return {
    status: 500,
    body: { type: "https://oms.example/problems/internal", title: "Internal error", status: 500, detail: "the request failed; it has been logged", code: "internal" },
    headers: {},
  };
}

/**
 * RFC 6750's challenge: the scheme the gateway takes, and, when a token was presented and
 * refused, why (a caller who sent none, e.g. an anonymous customer asked to sign in, gets no error code).
 */
function bearerChallengeOf(error: UnauthenticatedError): string {
  if (!/^caller\.(token-|malformed$)/.test(error.code)) return 'Bearer realm="oms"';
  // A header value is printable ASCII (a message's "…" would fail the whole answer), and quotes end the parameter.
  const quoted = error.message.replace(/["\\]/g, "'").replace(/[^\x20-\x7e]/g, "?");
  return `Bearer realm="oms", error="invalid_token", error_description="${quoted}"`;
}

const GRPC_UNIMPLEMENTED = 12;

function isUnimplementedCall(error: unknown): boolean {
  const call = error as { code?: unknown; metadata?: unknown };
  return call.code === GRPC_UNIMPLEMENTED && typeof call.metadata === "object" && call.metadata !== null;
}

/** Installs the mapping as the server's error and not-found handlers. */
export function registerProblemDetails(app: FastifyInstance): void {
  app.setErrorHandler((error, request, reply) => {
    const problem = problemOf(error);
    // Shed requests are counted and logged (at most a line a second) where they are shed.
    if (error instanceof IntakeOverloadedError) return reply.code(problem.status).headers(problem.headers).type("application/problem+json").send(problem.body);
    if (problem.status >= 500 && !(error instanceof UnavailableError)) request.log.error({ err: error }, "request failed");
    else if (problem.status >= 500) request.log.warn({ code: problem.body.code }, "a dependency is unavailable");
    return reply.code(problem.status).headers(problem.headers).type("application/problem+json").send(problem.body);
  });
  app.setNotFoundHandler((request, reply) =>
    reply
      .code(404)
      .type("application/problem+json")
      .send({
        type: "https://oms.example/problems/not-found",
        title: "Not found",
        status: 404,
        detail: `no route ${request.method} ${request.url.split("?")[0]}`,
        code: "route.not-found",
      } satisfies ProblemDetails),
  );
}

/**
 * Requests Node's HTTP parser refuses before any route sees them — a request line and
 * headers over its 16 KB (a very long query string), malformed HTTP, a client too slow to
 * send its request — are answered on the socket. As problem details too (fastify's own
 * answer is JSON of another shape), so that every 4xx a client gets reads the same way.
 */
export function answerClientError(error: NodeJS.ErrnoException, socket: Duplex): void {
  if (error.code === "ECONNRESET" || socket.destroyed) return;
  const [status, code, detail]: [number, string, string] =
    error.code === "ERR_HTTP_REQUEST_TIMEOUT"
      ? [408, "request.timeout", "the request did not arrive in time"]
      : error.code === "HPE_HEADER_OVERFLOW"
        ? [431, "request.headers-too-large", "the request line and headers together exceed 16 KB; send long input in the body"]
        : [400, "request.malformed", "the request is not well-formed HTTP/1.1"];
  const body = JSON.stringify({ type: "https://oms.example/problems/bad-request", title: STATUS_CODES[status] ?? "Bad Request", status, detail, code } satisfies ProblemDetails);
  if (socket.writable) {
    socket.write(
      `HTTP/1.1 ${status} ${STATUS_CODES[status] ?? "Bad Request"}\r\nContent-Type: application/problem+json\r\nContent-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`,
    );
  }
  socket.destroy(error);
}
