import { Metadata, credentials, makeGenericClientConstructor, type Client, type ServiceError } from "@grpc/grpc-js";
import { health } from "@oms/contracts";
import type { AnyServiceDefinition, RequestOf, ResponseOf } from "./definitions.ts";
import { fromGrpcError } from "./errors.ts";

export interface CallOptions {
  /** Milliseconds before the call fails with UnavailableError; default 5 s. */
  deadlineMs?: number;
  correlationId?: string;
}

/** A generated service as promise-returning functions, with deadlines and domain errors. */
export type PromiseClient<S extends AnyServiceDefinition> = {
  [K in keyof S]: (request: RequestOf<S[K]>, options?: CallOptions) => Promise<ResponseOf<S[K]>>;
} & { close(): void };

export function createClient<S extends AnyServiceDefinition>(definition: S, serviceName: string, address: string): PromiseClient<S> {
  const Constructor = makeGenericClientConstructor(definition, serviceName);
  const client = new Constructor(address, credentials.createInsecure(), {
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
export async function checkHealth(address: string, deadlineMs = 1_000): Promise<"SERVING" | "NOT_SERVING"> {
  const client = createClient(health.HealthService as unknown as AnyServiceDefinition, "grpc.health.v1.Health", address);
  try {
    const response = (await client.check!({ service: "" }, { deadlineMs })) as health.HealthCheckResponse;
    return response.status === health.HealthCheckResponse_ServingStatus.SERVING ? "SERVING" : "NOT_SERVING";
  } catch {
    return "NOT_SERVING";
  } finally {
    client.close();
  }
}
