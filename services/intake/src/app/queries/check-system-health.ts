import { checkHealth, type GrpcTarget } from "@oms/grpc";
import { serviceNames, type ServiceName } from "@oms/service-kit";

export type ServingStatus = "SERVING" | "NOT_SERVING";

export interface SystemHealth {
  status: ServingStatus;
  services: Record<ServiceName, ServingStatus>;
}

/** Asks each of the seven services' gRPC health at once (over mutual TLS when the peers carry an identity); the system serves only when all of them do. */
export async function checkSystemHealth(addressOf: (service: ServiceName) => GrpcTarget, deadlineMs = 1_000): Promise<SystemHealth> {
  const statuses = await Promise.all(serviceNames.map(async (name) => [name, await checkHealth(addressOf(name), deadlineMs)] as const));
  const services = Object.fromEntries(statuses) as Record<ServiceName, ServingStatus>;
  return { status: statuses.every(([, status]) => status === "SERVING") ? "SERVING" : "NOT_SERVING", services };
}
