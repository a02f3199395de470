import type { ServiceName } from "@oms/service-kit";
import { killService, killTwo, pauseConsumer, restartKafka, restartPostgres, restartRedis, type Fault } from "./faults.ts";

export const faultKinds = ["services", "pairs", "kafka", "postgres", "redis", "pause"] as const;
export type FaultKind = (typeof faultKinds)[number];

const services: ServiceName[] = ["intake", "fulfillment", "warehouse", "dispatch", "after-sales", "billing", "archive"];
const pairs: [ServiceName, ServiceName][] = [
  ["fulfillment", "warehouse"],
  ["dispatch", "billing"],
  ["intake", "archive"],
  ["after-sales", "fulfillment"],
];
const paused: ServiceName[] = ["warehouse", "fulfillment", "dispatch", "billing"];

/**
 * Well past the consumers' session timeout (10 s, packages/messaging/src/consumer.ts), so
 * that the group gives the frozen member's partitions up and takes them back when it wakes.
 */
const pauseMs = 36_000;

/** Every kind of fault, `repeat` times; the Kafka restart only when the run owns its broker. */
export function fullSchedule(kinds: readonly FaultKind[], repeat: number, ownsKafka: boolean): Fault[] {
  const faults: Fault[] = [];
  for (let round = 0; round < repeat; round++) {
    if (kinds.includes("services")) faults.push(...services.map((name) => killService(name)));
    if (kinds.includes("pairs")) faults.push(...[pairs[(2 * round) % pairs.length]!, pairs[(2 * round + 1) % pairs.length]!].map(([a, b]) => killTwo(a, b)));
    if (kinds.includes("kafka") && ownsKafka) faults.push(restartKafka());
    if (kinds.includes("postgres")) faults.push(restartPostgres());
    if (kinds.includes("redis")) faults.push(restartRedis());
    if (kinds.includes("pause")) faults.push(pauseConsumer(paused[round % paused.length]!, pauseMs));
  }
  return faults;
}

/**
 * The short run inside `npm test`: two services killed in turn and restarted — the
 * gateway (HTTP, outbox) and the saga (consumer group, timers, gRPC commands).
 */
export function shortSchedule(): Fault[] {
  return [killService("intake"), killService("fulfillment")];
}
