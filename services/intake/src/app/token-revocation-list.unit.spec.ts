import { describe, expect, it } from "vitest";
import { createLogger, Registry } from "@oms/observability";
import type { RevocationEntry } from "../adapters/pg/token-revocation-repository.ts";
import { revocationRefreshMsFromEnv, tokenRevocationList } from "./token-revocation-list.ts";

const logger = createLogger({ service: "intake", level: "silent", pretty: false });
// For the specs of reading rather than forgetting: a horizon reaching back before 1970, where their moments are.
const horizonSeconds = 10_000_000_000;

/** The log as the repository reads it: ids in order, read after an id. */
function logOf(entries: { subject: string; notBeforeMs: number }[] = []) {
  const rows: RevocationEntry[] = [];
  const asked: string[] = [];
  const askedFrom: number[] = [];
  let failing = false;
  return {
    asked,
    askedFrom,
    append(entry: { subject: string; notBeforeMs: number }) {
      rows.push({ revocationId: String(rows.length + 1), ...entry });
    },
    fail(yes: boolean) {
      failing = yes;
    },
    readAfter: async (afterId: string, limit: number, notBeforeFrom: Date) => {
      asked.push(afterId);
      askedFrom.push(notBeforeFrom.getTime());
      if (failing) throw new Error("connection refused");
      return rows.filter((r) => BigInt(r.revocationId) > BigInt(afterId) && r.notBeforeMs >= notBeforeFrom.getTime()).slice(0, limit);
    },
    seed() {
      for (const entry of entries) this.append(entry);
      return this;
    },
  };
}

describe("the list of withdrawn tokens every intake holds", () => {
  it("reads the whole log at start, page by page, holding the latest revocation of each subject", async () => {
    const log = logOf();
    for (let i = 0; i < 5_001; i++) log.append({ subject: `customer:c-${i % 3}`, notBeforeMs: 1_000 + i });
    const list = tokenRevocationList({ readAfter: log.readAfter, logger }, { refreshMs: 60_000, horizonSeconds });
    await list.start();
    list.stop();
    expect(log.asked).toEqual(["0", "5000"]);
    expect(list.notBeforeOf("customer:c-0")).toBe(1_000 + 4_998);
    expect(list.notBeforeOf("customer:c-2")).toBe(1_000 + 5_000);
    expect(list.notBeforeOf("customer:c-9")).toBeUndefined();
  });

  it("then reads only what was written after the last revocation it saw, and never lowers a subject's moment", async () => {
    const log = logOf([{ subject: "staff:s-1", notBeforeMs: 5_000 }]).seed();
    const list = tokenRevocationList({ readAfter: log.readAfter, logger }, { refreshMs: 60_000, horizonSeconds });
    await list.start();
    list.stop();
    log.append({ subject: "staff:s-2", notBeforeMs: 6_000 });
    log.append({ subject: "staff:s-1", notBeforeMs: 4_000 });
    await list.refresh();
    expect(log.asked).toEqual(["0", "1"]);
    expect([list.notBeforeOf("staff:s-1"), list.notBeforeOf("staff:s-2")]).toEqual([5_000, 6_000]);
    await list.refresh();
    expect(log.asked.at(-1)).toBe("3");
  });

  it("holds a revocation this process wrote at once, before any reading brings it", async () => {
    const log = logOf().seed();
    const list = tokenRevocationList({ readAfter: log.readAfter, logger }, { refreshMs: 60_000, horizonSeconds });
    await list.start();
    list.stop();
    list.applyWritten({ subject: "platform:tmall", notBeforeMs: 9_000 });
    expect(list.notBeforeOf("platform:tmall")).toBe(9_000);
    list.applyWritten({ subject: "platform:tmall", notBeforeMs: 8_000 });
    expect(list.notBeforeOf("platform:tmall")).toBe(9_000);
  });

  it("does not start when the log cannot be read", async () => {
    const log = logOf();
    log.fail(true);
    const list = tokenRevocationList({ readAfter: log.readAfter, logger }, { refreshMs: 60_000, horizonSeconds });
    await expect(list.start()).rejects.toThrow(/token revocations cannot be read.*connection refused/);
    await expect(list.readiness()).resolves.toMatchObject({ ok: false });
  });

  it("keeps its last list when a reading fails, counts it, and turns not ready only once the list is stale", async () => {
    let nowMs = 1_000_000;
    const registry = new Registry();
    const log = logOf([{ subject: "staff:s-1", notBeforeMs: 5_000 }]).seed();
    const list = tokenRevocationList({ readAfter: log.readAfter, logger, registry, now: () => nowMs }, { refreshMs: 20, horizonSeconds });
    await list.start();
    log.fail(true);
    log.append({ subject: "staff:s-2", notBeforeMs: 6_000 });
    const failed = log.asked.length;
    await until(() => log.asked.length >= failed + 2);
    expect(list.notBeforeOf("staff:s-1")).toBe(5_000);
    expect(list.notBeforeOf("staff:s-2")).toBeUndefined();
    expect(await registry.getSingleMetricAsString("oms_intake_token_revocation_reload_failures_total")).toMatch(/_total [1-9]/);
    await expect(list.readiness()).resolves.toEqual({ ok: true });
    nowMs += 31_000;
    await expect(list.readiness()).resolves.toMatchObject({ ok: false, detail: expect.stringContaining("31 s ago") });
    expect(await registry.getSingleMetricAsString("oms_intake_token_revocations_age_seconds")).toMatch(/ 31$/);

    log.fail(false);
    await until(() => list.notBeforeOf("staff:s-2") !== undefined);
    await expect(list.readiness()).resolves.toEqual({ ok: true });
    list.stop();
  });

  it("reads and holds only the revocations within the horizon, and forgets a subject once its latest revocation has passed it", async () => {
    const hour = 3_600;
    let nowMs = 1_800_000_000_400;
    const from = nowMs - 400 - hour * 1000;
    const log = logOf([
      { subject: "staff:long-gone", notBeforeMs: from - 1 },
      { subject: "staff:edge", notBeforeMs: from },
      { subject: "staff:twice", notBeforeMs: from - 60_000 },
      { subject: "staff:twice", notBeforeMs: from + 5_000 },
      { subject: "staff:recent", notBeforeMs: nowMs - 1_000 },
    ]).seed();
    const list = tokenRevocationList({ readAfter: log.readAfter, logger, now: () => nowMs }, { refreshMs: 60_000, horizonSeconds: hour });
    await list.start();
    list.stop();
    expect(log.askedFrom).toEqual([from]);
    expect(list.notBeforeOf("staff:long-gone")).toBeUndefined();
    expect(list.notBeforeOf("staff:edge")).toBe(from);
    expect(list.notBeforeOf("staff:twice")).toBe(from + 5_000);

    // Three seconds on, the revocation at the horizon's edge no longer cuts off any token still accepted.
    nowMs += 3_000;
    log.append({ subject: "staff:new", notBeforeMs: nowMs });
    await list.refresh();
    expect(log.askedFrom.at(-1)).toBe(from + 3_000);
    expect(list.notBeforeOf("staff:edge")).toBeUndefined();
    expect([list.notBeforeOf("staff:twice"), list.notBeforeOf("staff:recent"), list.notBeforeOf("staff:new")]).toEqual([from + 5_000, nowMs - 4_000, nowMs]);

    nowMs += hour * 1000;
    await list.refresh();
    expect(["staff:twice", "staff:recent", "staff:new"].map((subject) => list.notBeforeOf(subject))).toEqual([undefined, undefined, nowMs - hour * 1000]);
    // Reading on from the last revocation it saw, wherever the horizon is.
    expect(log.asked.at(-1)).toBe("6");
  });

  it("refreshes every INTAKE_TOKEN_REVOCATIONS_REFRESH_MS, two seconds unless set", () => {
    expect(revocationRefreshMsFromEnv({})).toBe(2_000);
    expect(revocationRefreshMsFromEnv({ INTAKE_TOKEN_REVOCATIONS_REFRESH_MS: "500" })).toBe(500);
    for (const wrong of ["0", "1.5", "ten", "600000"]) expect(() => revocationRefreshMsFromEnv({ INTAKE_TOKEN_REVOCATIONS_REFRESH_MS: wrong }), wrong).toThrow(/INTAKE_TOKEN_REVOCATIONS_REFRESH_MS/);
  });
});

async function until(condition: () => boolean, timeoutMs = 5_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error("the condition did not hold in time");
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}
