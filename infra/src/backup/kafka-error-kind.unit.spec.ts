import { KafkaJSConnectionError, KafkaJSGroupCoordinatorNotFound, KafkaJSNonRetriableError, KafkaJSNumberOfRetriesExceeded, KafkaJSProtocolError, KafkaJSRequestTimeoutError } from "kafkajs";
import { describe, expect, it } from "vitest";
import { isTransient, kindOfKafkaError } from "./kafka-error-kind.ts";

/** As kafkajs 2.2.4 builds it (its types declare no arguments). */
const coordinatorNotFound = () => new (KafkaJSGroupCoordinatorNotFound as new (message: string) => Error)("Failed to find group coordinator");

/** An error as kafkajs builds it from a broker's error code. */
const protocolError = (type: string, code: number, retriable: boolean) => new KafkaJSProtocolError(Object.assign(new Error(`the broker answered ${type}`), { type, code, retriable }));

describe("which Kafka errors reset-offsets waits out", () => {
  it("the coordinator's answers after a broker restart, by Kafka's name (kafkajs names three of them its own way)", () => {
    expect(kindOfKafkaError(protocolError("GROUP_LOAD_IN_PROGRESS", 14, true))).toEqual({ kind: "coordinator-busy", error: "COORDINATOR_LOAD_IN_PROGRESS" });
    expect(kindOfKafkaError(protocolError("GROUP_COORDINATOR_NOT_AVAILABLE", 15, true))).toEqual({ kind: "coordinator-busy", error: "COORDINATOR_NOT_AVAILABLE" });
    expect(kindOfKafkaError(protocolError("NOT_COORDINATOR_FOR_GROUP", 16, true))).toEqual({ kind: "coordinator-busy", error: "NOT_COORDINATOR" });
    expect(kindOfKafkaError(protocolError("REQUEST_TIMED_OUT", 7, true))).toEqual({ kind: "coordinator-busy", error: "REQUEST_TIMED_OUT" });
    // kafkajs' cluster once no broker named the coordinator (COORDINATOR_NOT_AVAILABLE past its own retries), the answers dropped.
    expect(kindOfKafkaError(coordinatorNotFound())).toEqual({ kind: "coordinator-busy", error: "COORDINATOR_NOT_FOUND" });
    expect(kindOfKafkaError(new KafkaJSRequestTimeoutError("Request OffsetCommit(key: 8, version: 5) timed out", { broker: "b1:9092" } as never))).toEqual({ kind: "coordinator-busy", error: "REQUEST_TIMED_OUT" });
  });

  it("a partition's leader being elected or moved, as the offset reads meet it after a broker restart", () => {
    for (const [type, code, named] of [["LEADER_NOT_AVAILABLE", 5, "LEADER_NOT_AVAILABLE"], ["NOT_LEADER_FOR_PARTITION", 6, "NOT_LEADER_OR_FOLLOWER"]] as const) {
      const kind = kindOfKafkaError(new KafkaJSNumberOfRetriesExceeded(protocolError(type, code, true), { retryCount: 1, retryTime: 200 } as never));
      expect(kind).toEqual({ kind: "leader-moving", error: named });
      expect(isTransient(kind)).toBe(true);
    }
  });

  it("network errors, naming the broker that failed", () => {
    const refused = new KafkaJSConnectionError("Connection error: connect ECONNREFUSED 127.0.0.1:1", { broker: "127.0.0.1:1", code: "ECONNREFUSED" } as never);
    expect(kindOfKafkaError(refused)).toEqual({ kind: "network", broker: "127.0.0.1:1", detail: "Connection error: connect ECONNREFUSED 127.0.0.1:1" });
    expect(kindOfKafkaError(Object.assign(new Error("read ECONNRESET"), { code: "ECONNRESET" }))).toEqual({ kind: "network", detail: "read ECONNRESET" });
  });

  it("looks through kafkajs' own retry wrappers for the cause", () => {
    const wrapped = new KafkaJSNumberOfRetriesExceeded(protocolError("GROUP_LOAD_IN_PROGRESS", 14, true), { retryCount: 1, retryTime: 200 } as never);
    expect(kindOfKafkaError(wrapped)).toEqual({ kind: "coordinator-busy", error: "COORDINATOR_LOAD_IN_PROGRESS" });
    // As kafkajs' retrier rejects an error it does not retry.
    const unknownMember = protocolError("UNKNOWN_MEMBER_ID", 25, false);
    expect(kindOfKafkaError(new (KafkaJSNonRetriableError as new (e: Error, meta: { cause: Error }) => Error)(unknownMember, { cause: unknownMember }))).toEqual({ kind: "group-has-members", error: "UNKNOWN_MEMBER_ID" });
  });

  it("a group with members and anything else are not waited out, even what kafkajs calls retriable", () => {
    for (const [type, code] of [["UNKNOWN_MEMBER_ID", 25], ["ILLEGAL_GENERATION", 22], ["REBALANCE_IN_PROGRESS", 27]] as const) {
      const kind = kindOfKafkaError(protocolError(type, code, false));
      expect(kind).toEqual({ kind: "group-has-members", error: type });
      expect(isTransient(kind)).toBe(false);
    }
    // kafkajs' own retrier retries every error not marked otherwise; this one is not Kafka's to retry.
    expect(isTransient(kindOfKafkaError(new Error("offsets must be strings")))).toBe(false);
    expect(isTransient(kindOfKafkaError(protocolError("UNKNOWN_TOPIC_OR_PARTITION", 3, true)))).toBe(false);
    expect(isTransient(kindOfKafkaError(protocolError("GROUP_AUTHORIZATION_FAILED", 30, false)))).toBe(false);
    expect(isTransient({ kind: "coordinator-busy", error: "NOT_COORDINATOR" })).toBe(true);
    expect(isTransient({ kind: "network", detail: "x" })).toBe(true);
  });
});
