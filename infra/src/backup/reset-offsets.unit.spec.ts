// The reads before any commit, against an admin client that answers as a broker does right
// after a restart (a restart of the shared broker is not something a spec may do).
import { KafkaJSGroupCoordinatorNotFound, KafkaJSNumberOfRetriesExceeded, KafkaJSProtocolError, type Admin } from "kafkajs";
import { describe, expect, it } from "vitest";
import { physicalTopic, systemConsumerGroups } from "@oms/contracts";
import type { BackupManifest } from "./manifest.ts";
import { plannedChanges } from "./reset-offsets.ts";

/** As kafkajs 2.2.4 builds it (its types declare no arguments). */
const coordinatorNotFound = () => new (KafkaJSGroupCoordinatorNotFound as new (message: string) => Error)("Failed to find group coordinator");

const manifest = { name: "oms-1", takenAt: "2026-12-07T03:15:00.000Z", kafka: { reachable: true, brokers: ["k:9092"], namespace: "", consumerGroups: [], topicEnds: [] } } as unknown as BackupManifest;
const topic = physicalTopic(Object.values(systemConsumerGroups)[0]![0]!, "");
/** As kafkajs' admin rejects once its own single retry is spent. */
const stillLoading = () => {
  const loading = new KafkaJSProtocolError(Object.assign(new Error("The coordinator is loading"), { type: "GROUP_LOAD_IN_PROGRESS", code: 14, retriable: true }));
  return new KafkaJSNumberOfRetriesExceeded(loading, { retryCount: 1, retryTime: 200, cause: loading } as never);
};

function adminAnswering(describeFailures: Error[], offsetReadFailures: Error[] = []) {
  let describes = 0;
  let offsetReads = 0;
  const admin = {
    describeGroups: async () => {
      describes++;
      const failure = describeFailures.shift();
      if (failure !== undefined) throw failure;
      return { groups: [] };
    },
    listTopics: async () => [topic],
    fetchOffsets: async () => [],
    fetchTopicOffsets: async () => {
      offsetReads++;
      const failure = offsetReadFailures.shift();
      if (failure !== undefined) throw failure;
      return [{ partition: 0, low: "0", high: "3", offset: "3" }];
    },
  } as unknown as Admin;
  return { admin, describes: () => describes, offsetReads: () => offsetReads };
}

describe("reset-offsets' reads right after a broker restart", () => {
  it("waits out a coordinator still loading the groups instead of failing at once", async () => {
    const { admin, describes } = adminAnswering([stillLoading()]);
    const planned = await plannedChanges(admin, manifest, ["k:9092"]);
    expect(describes()).toBe(2);
    expect(planned.changed.length).toBeGreaterThan(0);
  });

  it("waits out a coordinator no broker could name yet (kafkajs' KafkaJSGroupCoordinatorNotFound, as admin reads throw it)", async () => {
    const { admin, describes } = adminAnswering([coordinatorNotFound(), coordinatorNotFound()]);
    const planned = await plannedChanges(admin, manifest, ["k:9092"]);
    expect(describes()).toBe(3);
    expect(planned.changed.length).toBeGreaterThan(0);
  });

  it("waits out a partition whose leader is still being elected when its log's ends are read", async () => {
    const leaderless = new KafkaJSProtocolError(Object.assign(new Error("There is no leader for this topic-partition"), { type: "LEADER_NOT_AVAILABLE", code: 5, retriable: true }));
    const { admin, offsetReads } = adminAnswering([], [new KafkaJSNumberOfRetriesExceeded(leaderless, { retryCount: 1, retryTime: 200, cause: leaderless } as never)]);
    const planned = await plannedChanges(admin, manifest, ["k:9092"]);
    expect(offsetReads()).toBe(2);
    expect(planned.changed.length).toBeGreaterThan(0);
  });

  it("does not retry what waiting cannot fix", async () => {
    const denied = new KafkaJSProtocolError(Object.assign(new Error("Not authorized to access group"), { type: "GROUP_AUTHORIZATION_FAILED", code: 30, retriable: false }));
    const { admin, describes } = adminAnswering([denied]);
    await expect(plannedChanges(admin, manifest, ["k:9092"])).rejects.toBe(denied);
    expect(describes()).toBe(1);
  });
});
