import { describe, expect, it } from "vitest";
import { defaultPortsOf, loadServiceConfig, serviceNames } from "./config.ts";

describe("service configuration", () => {
  it("defaults the consumers to answer at once and ask every 2 s when idle", () => {
    expect(loadServiceConfig("warehouse", {}).consumerFetch).toEqual({ minBytes: 1, maxWaitMs: 2000 });
  });

  it("takes the consumers' fetch settings and the pool size from the environment", () => {
    const config = loadServiceConfig("warehouse", { OMS_CONSUMER_MIN_BYTES: "65536", OMS_CONSUMER_MAX_WAIT_MS: "100", OMS_DB_POOL_SIZE: "4" });
    expect(config.consumerFetch).toEqual({ minBytes: 65_536, maxWaitMs: 100 });
    expect(config.poolSize).toBe(4);
  });

  it("refuses a bad number naming the variable and what it must be", () => {
    expect(() => loadServiceConfig("warehouse", { OMS_CONSUMER_MAX_WAIT_MS: "0" })).toThrow("OMS_CONSUMER_MAX_WAIT_MS must be a whole number from 10 to 10000, got \"0\"");
    expect(() => loadServiceConfig("warehouse", { OMS_CONSUMER_MIN_BYTES: "lots" })).toThrow(/OMS_CONSUMER_MIN_BYTES must be a whole number/);
    expect(() => loadServiceConfig("warehouse", { OMS_DB_POOL_SIZE: "-1" })).toThrow(/OMS_DB_POOL_SIZE must be a whole number from 1/);
  });

  it("lets an outbox relay's commits gather 2 ms after a pass unless told otherwise", () => {
    expect(loadServiceConfig("intake", {}).outboxGatherMs).toBe(2);
    expect(loadServiceConfig("intake", { OMS_OUTBOX_GATHER_MS: "20" }).outboxGatherMs).toBe(20);
    expect(() => loadServiceConfig("intake", { OMS_OUTBOX_GATHER_MS: "2000" })).toThrow("OMS_OUTBOX_GATHER_MS must be a whole number from 0 to 1000, got \"2000\"");
  });

  it("keeps the inbox 45 days unless told otherwise, and never less than an event can come back", () => {
    expect(loadServiceConfig("warehouse", {}).inboxRetentionDays).toBe(45);
    expect(loadServiceConfig("warehouse", { OMS_INBOX_RETENTION_DAYS: "38" }).inboxRetentionDays).toBe(38);
    // A dead letter can be replayed 30 days on, and a log segment outlives retention by up to 7.
    expect(() => loadServiceConfig("warehouse", { OMS_INBOX_RETENTION_DAYS: "37" })).toThrow("OMS_INBOX_RETENTION_DAYS must be a whole number from 38 to 36500, got \"37\"");
  });

  it("listens by default below Linux's ephemeral ports, where a client's own connection could take the port first", () => {
    const ephemeralFrom = 32_768;
    for (const name of serviceNames) {
      const { grpc, ops } = defaultPortsOf(name);
      expect([name, grpc < ephemeralFrom, ops < ephemeralFrom]).toEqual([name, true, true]);
    }
    expect(new Set(serviceNames.flatMap((name) => Object.values(defaultPortsOf(name)))).size).toBe(serviceNames.length * 2);
  });
});
