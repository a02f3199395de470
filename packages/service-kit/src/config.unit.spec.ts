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

  it("takes true or false for its switches, and refuses any other spelling by name", () => {
    expect(loadServiceConfig("warehouse", {})).toMatchObject({ provisionSchema: true, seedDemo: false });
    expect(loadServiceConfig("warehouse", { OMS_PROVISION_SCHEMAS: "false", OMS_SEED_DEMO: "true" })).toMatchObject({ provisionSchema: false, seedDemo: true });
    // Read as "not false" and "not true", these once provisioned and left the demo out unasked.
    expect(() => loadServiceConfig("warehouse", { OMS_PROVISION_SCHEMAS: "no" })).toThrow('OMS_PROVISION_SCHEMAS must be true or false, got "no"');
    expect(() => loadServiceConfig("warehouse", { OMS_SEED_DEMO: "1" })).toThrow('OMS_SEED_DEMO must be true or false, got "1"');
    expect(() => loadServiceConfig("warehouse", { OMS_SEED_DEMO: "TRUE" })).toThrow(/OMS_SEED_DEMO must be true or false/);
  });

  it("takes pino's log levels and refuses others by name", () => {
    expect(loadServiceConfig("warehouse", {}).logLevel).toBe("info");
    expect(loadServiceConfig("warehouse", { LOG_LEVEL: "debug" }).logLevel).toBe("debug");
    expect(() => loadServiceConfig("warehouse", { LOG_LEVEL: "verbose" })).toThrow('LOG_LEVEL must be one of fatal, error, warn, info, debug, trace, silent, got "verbose"');
  });

  it("takes a namespace that fits in a topic name, and refuses one that does not", () => {
    expect(loadServiceConfig("warehouse", {}).namespace).toBe("");
    expect(loadServiceConfig("warehouse", { OMS_NAMESPACE: "tsm9k2qx3f0a1b" }).namespace).toBe("tsm9k2qx3f0a1b");
    expect(() => loadServiceConfig("warehouse", { OMS_NAMESPACE: "team a" })).toThrow(/OMS_NAMESPACE must be up to 100 letters, digits, '-' or '_', got "team a"/);
    expect(() => loadServiceConfig("warehouse", { OMS_NAMESPACE: "a.b" })).toThrow(/OMS_NAMESPACE must be/);
  });

  it("finds peers at their <SERVICE>_GRPC_PORT, refusing a bad one as it refuses its own", () => {
    expect(loadServiceConfig("intake", { BILLING_GRPC_PORT: "7155" }).peers.billing.address).toBe("127.0.0.1:7155");
    expect(loadServiceConfig("intake", { BILLING_GRPC_ADDRESS: "billing.internal:7055", BILLING_GRPC_PORT: "7155" }).peers.billing.address).toBe("billing.internal:7055");
    expect(() => loadServiceConfig("intake", { BILLING_GRPC_PORT: "70550" })).toThrow('BILLING_GRPC_PORT must be a port number (0-65535), got "70550"');
    expect(() => loadServiceConfig("intake", { AFTER_SALES_GRPC_PORT: "x" })).toThrow(/AFTER_SALES_GRPC_PORT must be a port number/);
  });
});
