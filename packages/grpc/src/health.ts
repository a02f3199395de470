import type { ServerUnaryCall, ServerWritableStream, sendUnaryData } from "@grpc/grpc-js";
import { health } from "@oms/contracts";

const { HealthCheckResponse_ServingStatus: ServingStatus } = health;
export type ServingStatus = health.HealthCheckResponse_ServingStatus;
export { ServingStatus };

/**
 * grpc.health.v1 for one process. The empty service name is the process as a whole;
 * it turns NOT_SERVING when shutdown begins, so balancers stop sending before we stop.
 */
export class HealthStatus {
  readonly #statuses = new Map<string, ServingStatus>();
  readonly #watchers = new Set<{ service: string; call: ServerWritableStream<health.HealthCheckRequest, health.HealthCheckResponse> }>();

  set(service: string, status: ServingStatus): void {
    this.#statuses.set(service, status);
    for (const watcher of this.#watchers) {
      if (watcher.service === service) watcher.call.write({ status });
    }
  }

  get(service: string): ServingStatus | undefined {
    return this.#statuses.get(service);
  }

  implementation() {
    return {
      check: (call: ServerUnaryCall<health.HealthCheckRequest, health.HealthCheckResponse>, callback: sendUnaryData<health.HealthCheckResponse>) => {
        const status = this.#statuses.get(call.request.service);
        if (status === undefined) {
          callback({ code: 5, details: `unknown service ${call.request.service}` });
          return;
        }
        callback(null, { status });
      },
      watch: (call: ServerWritableStream<health.HealthCheckRequest, health.HealthCheckResponse>) => {
        const watcher = { service: call.request.service, call };
        this.#watchers.add(watcher);
        call.write({ status: this.#statuses.get(call.request.service) ?? ServingStatus.SERVICE_UNKNOWN });
        call.on("cancelled", () => this.#watchers.delete(watcher));
      },
    };
  }

  endWatches(): void {
    for (const watcher of this.#watchers) watcher.call.end();
    this.#watchers.clear();
  }
}
