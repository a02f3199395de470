import { Metadata, makeGenericClientConstructor, type Client, type ServiceError } from "@grpc/grpc-js";
import { health } from "@oms/contracts";
import type { AnyServiceDefinition, RequestOf, ResponseOf } from "./definitions.ts";
import { fromGrpcError } from "./errors.ts";
import { clientChannelOf, type GrpcTarget } from "./transport-security.ts";

export interface CallOptions {
  /** Milliseconds before the call fails with UnavailableError; default 5 s. */
  deadlineMs?: number;
  correlationId?: string;
}

/** A generated service as promise-returning functions, with deadlines and domain errors. */
export type PromiseClient<S extends AnyServiceDefinition> = {
  [K in keyof S]: (request: RequestOf<S[K]>, options?: CallOptions) => Promise<ResponseOf<S[K]>>;
} & { close(): void };

/** A client of one service at `target`: a peer (mutual TLS when it carries an identity) or a bare address (plaintext). */
export function createClient<S extends AnyServiceDefinition>(definition: S, serviceName: string, target: GrpcTarget): PromiseClient<S> {
  const Constructor = makeGenericClientConstructor(definition, serviceName);
  const channel = clientChannelOf(target);
  const client = new Constructor(channel.address, channel.credentials, {
    ...channel.options,
    "grpc.keepalive_time_ms": 30_000,
    "grpc.initial_reconnect_backoff_ms": 200,
    "grpc.max_reconnect_backoff_ms": 2_000,
  }) as Client & Record<string, (...args: unknown[]) => unknown>;
  const methods = Object.fromEntries(
    Object.keys(definition).map((method) => [
      method,
      (request: unknown, options: CallOptions = {}) =>
        new Promise((resolve, reject) => {
          const metadata = new Metadata();
          if (options.correlationId) metadata.set("x-correlation-id", options.correlationId);
          const deadline = new Date(Date.now() + (options.deadlineMs ?? 5_000));
          client[method]!.call(client, request, metadata, { deadline }, (error: ServiceError | null, response: unknown) =>
            error ? reject(fromGrpcError(error)) : resolve(response),
          );
        }),
    ]),
  );
  return { ...methods, close: () => client.close() } as PromiseClient<S>;
}

/** Asks a process's grpc.health.v1 for its overall status; any failure reads as NOT_SERVING. */
export async function checkHealth(target: GrpcTarget, deadlineMs = 1_000): Promise<"SERVING" | "NOT_SERVING"> {
  const client = createClient(health.HealthService as unknown as AnyServiceDefinition, "grpc.health.v1.Health", target);
  try {
    const response = (await client.check!({ service: "" }, { deadlineMs })) as health.HealthCheckResponse;
    return response.status === health.HealthCheckResponse_ServingStatus.SERVING ? "SERVING" : "NOT_SERVING";
  } catch {
    return "NOT_SERVING";
  } finally {
    client.close();
  }
}
