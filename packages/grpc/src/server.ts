import { randomUUID } from "node:crypto";
import { Server, type ServerUnaryCall, type UntypedServiceImplementation, type sendUnaryData } from "@grpc/grpc-js";
import { health } from "@oms/contracts";
import { ForbiddenError, ValidationError, isDomainError } from "@oms/errors";
import type { Logger, StandardMetrics } from "@oms/observability";
import type { AnyServiceDefinition, UnaryImplementation } from "./definitions.ts";
import { toGrpcError } from "./errors.ts";
import { HealthStatus, ServingStatus } from "./health.ts";
import { fieldHoldingNul } from "./request-text.ts";
import { ReloadingTlsIdentity } from "./reloading-tls-identity.ts";
import { logTlsReloads } from "./tls-reload-log.ts";
import { callerOf, serverCredentialsOf, type TlsCredentialsSource } from "./transport-security.ts";

export interface ServiceBinding {
  /** The fully qualified service name, for health, e.g. "oms.fulfillment.v1.OrderQuery". */
  name: string;
  definition: AnyServiceDefinition;
  implementation: UntypedServiceImplementation;
  /**
   * Under mutual TLS, services that may call this one binding besides the server's allowed
   * callers: a read another service needs (billing reconciles against fulfillment's
   * OrderQuery, ADR 023) without opening the server's commands to it.
   */
  alsoCallableBy?: readonly string[];
}

/** Binds async functions to a generated definition; logging, metrics and error mapping are added by the server. */
export function bindService<S extends AnyServiceDefinition>(
  name: string,
  definition: S,
  methods: UnaryImplementation<S>,
  access: { alsoCallableBy?: readonly string[] } = {},
): ServiceBinding {
  return { name, definition, implementation: methods as unknown as UntypedServiceImplementation, ...access };
}

export interface GrpcServerOptions {
  host: string;
  port: number;
  services: ServiceBinding[];
  logger: Logger;
  metrics?: StandardMetrics;
  /**
   * Mutual TLS: the server's identity and the CA its clients' certificates must come from;
   * plaintext without it. A reloading identity is followed without a restart, its reloads
   * logged here (the server is the one user of it every service has).
   */
  tls?: TlsCredentialsSource;
  /**
   * Under mutual TLS, the services (certificate common names) that may call `services`;
   * any other certificate from the CA is refused with PERMISSION_DENIED. Health answers
   * every certificate from the CA. Without it, any certificate from the CA may call.
   */
  allowedCallers?: readonly string[];
}

export interface GrpcServer {
  port: number;
  health: HealthStatus;
  /** Marks every service NOT_SERVING, then drains calls in flight and stops. */
  close(): Promise<void>;
}

/** How long calls on a connection of a retired trust may finish before it is cut. */
const drainGraceMs = 10_000;

export async function startGrpcServer(options: GrpcServerOptions): Promise<GrpcServer> {
  const server = new Server({ "grpc.max_receive_message_length": 8 * 1024 * 1024 });
  const healthStatus = new HealthStatus();
  server.addService(health.HealthService, healthStatus.implementation());
  for (const service of options.services) {
    server.addService(undecodedRequests(service.definition), wrapUnaryMethods(service, options));
    healthStatus.set(service.name, ServingStatus.SERVING);
  }
  healthStatus.set("", ServingStatus.SERVING);

  const port = await new Promise<number>((resolve, reject) =>
    server.bindAsync(`${options.host}:${options.port}`, serverCredentialsOf(options.tls), (error, bound) =>
      error ? reject(error) : resolve(bound),
    ),
  );
  const stopLoggingReloads =
    options.tls instanceof ReloadingTlsIdentity
      ? logTlsReloads(options.tls, options.logger, {
          // A changed CA bundle may trust fewer CAs: connections handshaken under the old
          // trust are asked to go (GOAWAY) and their callers reconnect under the new one.
          trustChanged: () => server.drain(`${options.host}:${port}`, drainGraceMs),
        })
      : () => {};
  return {
    port,
    health: healthStatus,
    close: async () => {
      stopLoggingReloads();
      healthStatus.set("", ServingStatus.NOT_SERVING);
      for (const service of options.services) healthStatus.set(service.name, ServingStatus.NOT_SERVING);
      healthStatus.endWatches();
      await new Promise<void>((resolve) => {
        const force = setTimeout(() => server.forceShutdown(), 5_000);
        server.tryShutdown(() => {
          clearTimeout(force);
          resolve();
        });
      });
    },
  };
}

/**
 * The definition with requests handed over as the bytes that came: grpc-js answers a
 * request its deserializer throws on as INTERNAL, so decoding happens in the wrapper,
 * where bytes that are no such message are refused as invalid input.
 */
function undecodedRequests(definition: AnyServiceDefinition): AnyServiceDefinition {
  return Object.fromEntries(Object.entries(definition).map(([method, d]) => [method, { ...d, requestDeserialize: (bytes: Buffer) => bytes }]));
}

function decodeRequest(service: ServiceBinding, method: string, bytes: Buffer): unknown {
  try {
    return service.definition[method]!.requestDeserialize(bytes);
  } catch (error) {
    throw new ValidationError([{ field: "request", message: "is not a message this method reads" }], `the request's bytes cannot be decoded (${(error as Error).message})`, "request.undecodable");
  }
}

type AsyncUnary = (request: unknown, context: { metadata: unknown; correlationId: string }) => Promise<unknown>;

/** Refuses a caller the server does not let in; on a plaintext server nobody is authenticated, so nobody is refused here. */
function admitCaller(call: ServerUnaryCall<unknown, unknown>, options: GrpcServerOptions, method: string, service: ServiceBinding): void {
  if (!options.tls || !options.allowedCallers) return;
  const caller = callerOf(call);
  if (caller !== undefined && (options.allowedCallers.includes(caller) || service.alsoCallableBy?.includes(caller))) return;
  // A certificate from our own CA knocking where it may not: worth an operator's look.
  options.logger.warn({ caller, method, allowedCallers: options.allowedCallers }, "gRPC caller refused");
  throw new ForbiddenError("grpc.caller-not-allowed", `${caller ?? "a caller without a name"} may not call ${method}; only ${options.allowedCallers.join(", ")} may`);
}

/** The one place every gRPC handler is logged, timed and has its errors mapped. */
function wrapUnaryMethods(service: ServiceBinding, options: GrpcServerOptions): UntypedServiceImplementation {
  const wrapped: UntypedServiceImplementation = {};
  for (const [method, handler] of Object.entries(service.implementation)) {
    const name = `${service.name}/${method}`;
    wrapped[method] = (call: ServerUnaryCall<unknown, unknown>, callback: sendUnaryData<unknown>) => {
      const started = performance.now();
      const correlationId = String(call.metadata.get("x-correlation-id")[0] ?? randomUUID());
      // Through a promise, so a handler that throws before its first await (a check of its
      // input) answers with its mapped status too, not grpc-js's UNKNOWN.
      new Promise((resolve) => {
        admitCaller(call, options, name, service);
        const request = decodeRequest(service, method, call.request as Buffer);
        const withNul = fieldHoldingNul(request);
        if (withNul) throw new ValidationError([{ field: withNul, message: "must not contain the NUL character" }], `${withNul} holds a NUL character`, "request.nul-character");
        resolve((handler as unknown as AsyncUnary)(request, { metadata: call.metadata, correlationId }));
      }).then(
        (response) => {
          options.metrics?.grpcRequests.observe({ method: name, code: "OK" }, (performance.now() - started) / 1000);
          callback(null, response);
        },
        (error: unknown) => {
          const grpcError = toGrpcError(error);
          options.metrics?.grpcRequests.observe({ method: name, code: String(grpcError.code) }, (performance.now() - started) / 1000);
          if (!isDomainError(error)) options.logger.error({ err: error, method: name, correlationId }, "gRPC handler failed");
          callback(grpcError as Parameters<sendUnaryData<unknown>>[0]);
        },
      );
    };
  }
  return wrapped;
}
