/** What a started service stops on its way out; each piece as little as the order needs. */
export interface StoppableService {
  grpc: { close(): Promise<void> };
  http: { close(): Promise<void> };
  consumers: readonly { stop(): Promise<void> }[];
  inboxPruner?: { stop(): Promise<void> } | undefined;
  timers?: { stop(): Promise<void> } | undefined;
  /** The service's own background work (ServiceParts.stopWork). */
  stopWork?: (() => Promise<void>) | undefined;
  /** The service's own clients and what it still holds, e.g. intake's pending acceptances (ServiceParts.close). */
  close?: (() => Promise<void>) | undefined;
  relay: { stop(): Promise<void> };
  producer: { disconnect(): Promise<void> };
  pool: { end(): Promise<void> };
}

/**
 * Stops a service so that everything it committed is published: first it stops taking
 * work (gRPC goes NOT_SERVING, HTTP stops accepting; both let calls in flight finish),
 * then what runs inside it stops (consumers finish their batch, timers, background work),
 * then the service closes its own parts, which may still commit (intake drains the
 * acceptances it holds). Only then does the outbox relay make its final flush, so no row
 * committed on the way out waits for the next start; the producer and the pool go last,
 * since the relay needs both.
 */
export async function stopGracefully(service: StoppableService): Promise<void> {
  await service.grpc.close();
  await service.http.close();
  await Promise.all(service.consumers.map((consumer) => consumer.stop()));
  await service.inboxPruner?.stop();
  await service.timers?.stop();
  await service.stopWork?.();
  await service.close?.();
  await service.relay.stop();
  await service.producer.disconnect();
  await service.pool.end();
}
