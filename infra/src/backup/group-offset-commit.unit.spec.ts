// The one call that sends a group's offsets (the coordinator's OffsetCommit), answering as a
// broker does right after a restart: a broker restart itself is not something a spec may do
// to the shared broker.
import { Kafka, KafkaJSProtocolError, logLevel } from "kafkajs";
import { describe, expect, it } from "vitest";
import { GroupNotEmptyError, groupOffsetCommitter, type KafkajsCluster } from "./group-offset-commit.ts";
import { TransientKafkaErrorPersisted } from "./transient-retry.ts";

const brokerError = (type: string, code: number, retriable: boolean) => new KafkaJSProtocolError(Object.assign(new Error(`the broker answered ${type}`), { type, code, retriable }));
const backoff = { attempts: 3, firstDelayMs: 1, maxDelayMs: 1 };
const commits = [{ topic: "t", partition: 0, offset: "4" }, { topic: "t", partition: 1, offset: "0" }];

/** A cluster whose coordinator answers the given errors in turn, then accepts; it records every request. */
function clusterAnswering(...answers: Error[]) {
  const requests: unknown[] = [];
  let lookups = 0;
  const cluster = {
    connect: async () => {},
    disconnect: async () => {},
    findGroupCoordinator: async () => {
      lookups++;
      return {
        offsetCommit: async (request: unknown) => {
          requests.push(request);
          const answer = answers.shift();
          if (answer !== undefined) throw answer;
          return {};
        },
      };
    },
  };
  return { cluster, requests, lookups: () => lookups };
}

describe("committing a group's offsets while the coordinator is not ready", () => {
  it("waits out COORDINATOR_LOAD_IN_PROGRESS and NOT_COORDINATOR, asking for the coordinator again each time", async () => {
    const { cluster, requests, lookups } = clusterAnswering(brokerError("GROUP_LOAD_IN_PROGRESS", 14, true), brokerError("NOT_COORDINATOR_FOR_GROUP", 16, true));
    await groupOffsetCommitter(cluster, { backoff }).commit("g", commits);
    expect(requests).toHaveLength(3);
    expect(lookups()).toBe(3);
    // The same absolute offsets every time: a retry after a partial write writes the same.
    expect(new Set(requests.map((r) => JSON.stringify(r))).size).toBe(1);
    expect(requests[0]).toEqual({ groupId: "g", groupGenerationId: -1, memberId: "", topics: [{ topic: "t", partitions: [{ partition: 0, offset: "4" }, { partition: 1, offset: "0" }] }] });
  });

  it("gives up after the last attempt, naming the error it kept getting", async () => {
    const { cluster, requests } = clusterAnswering(...Array.from({ length: 5 }, () => brokerError("GROUP_COORDINATOR_NOT_AVAILABLE", 15, true)));
    const failure = await groupOffsetCommitter(cluster, { backoff }).commit("g", commits).catch((e: unknown) => e);
    expect(failure).toBeInstanceOf(TransientKafkaErrorPersisted);
    expect(failure).toMatchObject({ kind: { error: "COORDINATOR_NOT_AVAILABLE" }, attempts: 3 });
    expect(requests).toHaveLength(3);
  });

  it("does not retry a refusal for a group with members, nor anything else", async () => {
    const members = clusterAnswering(brokerError("UNKNOWN_MEMBER_ID", 25, false));
    await expect(groupOffsetCommitter(members.cluster, { backoff }).commit("g", commits)).rejects.toThrow(GroupNotEmptyError);
    expect(members.requests).toHaveLength(1);
    const other = clusterAnswering(brokerError("UNKNOWN_TOPIC_OR_PARTITION", 3, true));
    await expect(groupOffsetCommitter(other.cluster, { backoff }).commit("g", commits)).rejects.toThrow(/UNKNOWN_TOPIC_OR_PARTITION/);
    expect(other.requests).toHaveLength(1);
  });
});

describe("finding the coordinator right after a broker restart, through kafkajs' own cluster", () => {
  // kafkajs 2.2.4's cluster asks each broker FindCoordinator, retries COORDINATOR_NOT_AVAILABLE
  // within its own `retry` (one retry, as connectKafkaAdmin sets it), then swallows what each
  // broker answered (brokerPool.withBroker) and throws KafkaJSGroupCoordinatorNotFound, no cause.
  // What the broker answers is stubbed; the retries and the wrapping are kafkajs' own.
  it("waits out COORDINATOR_NOT_AVAILABLE at FindCoordinator that outlasts kafkajs' own retries", async () => {
    const kafka = new Kafka({ brokers: ["stub:9092"], logLevel: logLevel.NOTHING, retry: { retries: 1, initialRetryTime: 1 } });
    const createCluster = Object.getOwnPropertySymbols(kafka).find((symbol) => symbol.description === "private:Kafka:createCluster")!;
    const cluster = (kafka as unknown as Record<symbol, (o: object) => KafkajsCluster & { brokerPool: { brokers: Record<number, unknown> } }>)[createCluster]!({ allowAutoTopicCreation: false });
    let notAvailable = 3;
    const requests: unknown[] = [];
    cluster.brokerPool.brokers = {
      0: {
        isConnected: () => true,
        findGroupCoordinator: async () => {
          if (notAvailable-- > 0) throw brokerError("GROUP_COORDINATOR_NOT_AVAILABLE", 15, true);
          return { coordinator: { nodeId: 0, host: "stub", port: 9092 } };
        },
        offsetCommit: async (request: unknown) => void requests.push(request),
      },
    };
    await groupOffsetCommitter(cluster, { backoff }).commit("g", commits);
    expect(requests).toHaveLength(1);
  });
});
