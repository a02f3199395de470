import { KafkaJSConnectionError, KafkaJSProtocolError } from "kafkajs";
import { describe, expect, it } from "vitest";
import { GroupNotEmptyError } from "./group-offset-commit.ts";
import { describeResetFailure, incompleteResetMessage, resetFailureOf } from "./offset-reset-failure.ts";
import { TransientKafkaErrorPersisted } from "./transient-retry.ts";

const brokers = ["kafka-1:9092", "kafka-2:9092"];

describe("what reset-offsets says went wrong", () => {
  it("a group with members: names the group, its members' client ids and hosts, and says to stop them", () => {
    const message = describeResetFailure({ kind: "group-has-members", groups: [{ group: "oms.dispatch", members: [{ clientId: "oms-dispatch", clientHost: "/10.0.0.7" }, { clientId: "oms-dispatch", clientHost: "/10.0.0.8" }] }, { group: "oms.billing", members: [] }] });
    expect(message).toBe(
      "consumer group(s) with members running: oms.dispatch (2 members: oms-dispatch on /10.0.0.7, oms-dispatch on /10.0.0.8), oms.billing (members joined after the check) — stop those services and run reset-offsets again",
    );
    expect(resetFailureOf(new GroupNotEmptyError("oms.billing", "UNKNOWN_MEMBER_ID"), brokers)).toEqual({ kind: "group-has-members", groups: [{ group: "oms.billing", members: [] }] });
  });

  it("an unreachable broker: says which brokers were tried and which one failed", () => {
    const refused = new KafkaJSConnectionError("Connection error: connect ECONNREFUSED 10.0.0.3:9092", { broker: "10.0.0.3:9092", code: "ECONNREFUSED" } as never);
    const failure = resetFailureOf(new TransientKafkaErrorPersisted({ kind: "network", broker: "10.0.0.3:9092", detail: refused.message }, 7, 15_750, refused), brokers);
    expect(describeResetFailure(failure)).toBe(
      "Kafka is unreachable: 10.0.0.3:9092 failed (Connection error: connect ECONNREFUSED 10.0.0.3:9092) through 7 attempts over 15.8 s; brokers tried: kafka-1:9092, kafka-2:9092 — check KAFKA_BROKERS and that the brokers run",
    );
    // Not through the retries (kafkajs' own attempts at the first connection): the same words, without the count.
    expect(describeResetFailure({ kind: "unreachable", brokers, detail: "Connection timeout" })).toBe(
      "Kafka is unreachable (Connection timeout); brokers tried: kafka-1:9092, kafka-2:9092 — check KAFKA_BROKERS and that the brokers run",
    );
    expect(describeResetFailure(resetFailureOf(refused, brokers))).toMatch(/^Kafka is unreachable: 10\.0\.0\.3:9092 failed \(Connection error: .*\); brokers tried: kafka-1:9092, kafka-2:9092/);
  });

  it("a busy coordinator that outlasted the retries: names the error and says a rerun is safe", () => {
    const loading = new KafkaJSProtocolError(Object.assign(new Error("loading"), { type: "GROUP_LOAD_IN_PROGRESS", code: 14, retriable: true }));
    const failure = resetFailureOf(new TransientKafkaErrorPersisted({ kind: "coordinator-busy", error: "COORDINATOR_LOAD_IN_PROGRESS" }, 7, 15_750, loading), brokers);
    expect(describeResetFailure(failure)).toBe(
      "the group coordinator still answered COORDINATOR_LOAD_IN_PROGRESS after 7 attempts over 15.8 s (as it does for a while after a broker restarts) — run reset-offsets again: that is safe, it moves only what still differs",
    );
  });

  it("a partition's leader still moving after the retries: names the error and says a rerun is safe", () => {
    const leaderless = new KafkaJSProtocolError(Object.assign(new Error("no leader"), { type: "LEADER_NOT_AVAILABLE", code: 5, retriable: true }));
    const failure = resetFailureOf(new TransientKafkaErrorPersisted({ kind: "leader-moving", error: "LEADER_NOT_AVAILABLE" }, 7, 15_750, leaderless), brokers);
    expect(describeResetFailure(failure)).toBe(
      "a partition's leader still answered LEADER_NOT_AVAILABLE after 7 attempts over 15.8 s (as while a restarted broker's partitions elect their leaders) — run reset-offsets again: that is safe, it moves only what still differs",
    );
  });

  it("no broker named the coordinator: says kafkajs dropped the brokers' answers rather than naming one, and that a rerun is safe", () => {
    expect(describeResetFailure({ kind: "coordinator-busy", error: "COORDINATOR_NOT_FOUND", attempts: 7, waitedMs: 15_750 })).toBe(
      "no broker named the group coordinator after 7 attempts over 15.8 s (as for a while after a broker restarts; kafkajs drops the brokers' answers, so if this persists their logs say why) — run reset-offsets again: that is safe, it moves only what still differs",
    );
  });

  it("anything else: the error as it is, and never the advice to stop members", () => {
    const message = describeResetFailure(resetFailureOf(new Error("TOPIC_AUTHORIZATION_FAILED: not authorised"), brokers));
    expect(message).toBe("TOPIC_AUTHORIZATION_FAILED: not authorised");
  });

  it("when not every group was reset: each failure's cause, the groups reset and those not", () => {
    const message = incompleteResetMessage({
      reset: ["oms.archive", "oms.billing"],
      failed: [
        { group: "oms.dispatch", failure: { kind: "group-has-members", groups: [{ group: "oms.dispatch", members: [{ clientId: "oms-dispatch", clientHost: "/10.0.0.7" }] }] }, moved: { partitions: 0, of: 3 } },
        { group: "oms.fulfillment", failure: { kind: "coordinator-busy", error: "NOT_COORDINATOR", attempts: 7, waitedMs: 15_750 }, moved: undefined },
      ],
      notTried: ["oms.intake", "oms.warehouse"],
    });
    expect(message).toBe(
      [
        "not every consumer group was reset:",
        "  oms.dispatch: consumer group(s) with members running: oms.dispatch (1 member: oms-dispatch on /10.0.0.7) — stop those services and run reset-offsets again",
        "    its offsets: none of its 3 partitions moved",
        "  oms.fulfillment: the group coordinator still answered NOT_COORDINATOR after 7 attempts over 15.8 s (as it does for a while after a broker restarts) — run reset-offsets again: that is safe, it moves only what still differs",
        "    its offsets: could not be read back; --dry-run shows where they stand once the broker answers",
        "groups reset: oms.archive, oms.billing",
        "groups not reset: oms.dispatch, oms.fulfillment, oms.intake, oms.warehouse (oms.intake, oms.warehouse not tried after oms.fulfillment failed)",
      ].join("\n"),
    );
    expect(incompleteResetMessage({ reset: [], failed: [{ group: "g", failure: { kind: "other", message: "boom" }, moved: { partitions: 1, of: 2 } }], notTried: [] })).toMatch(
      /  g: boom\n    its offsets: 1 of its 2 partitions moved before the failure \(run reset-offsets again to move the rest\)\ngroups reset: none\ngroups not reset: g$/,
    );
  });
});
