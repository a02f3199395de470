import { startService, type RunningService, type ServiceDefinition, type ServiceName } from "@oms/service-kit";
import { createTestNamespace, type TestNamespace } from "./namespace.ts";
import { testServiceConfig } from "./service-config.ts";

/** One service on the real servers, in a namespace of its own, with the gRPC clients a test file talks to it through. */
export interface ServiceUnderTest<Clients> {
  namespace: TestNamespace;
  service: RunningService;
  clients: Clients;
  /** Closes the clients, stops the service and drops the namespace. */
  stop(): Promise<void>;
}

/**
 * Starts `definition` as `name` in a fresh namespace and opens its clients on the service's
 * gRPC address; a service that fails to start leaves no namespace behind.
 */
export async function startServiceUnderTest<Clients extends Record<string, { close(): void }>>(
  name: ServiceName,
  definition: ServiceDefinition,
  clientsAt: (address: string) => Clients,
): Promise<ServiceUnderTest<Clients>> {
  const namespace = await createTestNamespace();
  const service = await startService(definition, testServiceConfig(name, namespace)).catch(async (error: unknown) => {
    await namespace.drop();
    throw error;
  });
  const clients = clientsAt(`127.0.0.1:${service.grpc.port}`);
  return {
    namespace,
    service,
    clients,
    stop: async () => {
      for (const client of Object.values(clients)) client.close();
      await service.stop();
      await namespace.drop();
    },
  };
}
