import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createLogger } from "@oms/observability";
import { startService, type RunningService } from "@oms/service-kit";
import { callerHeaders, eventually, testCallerTrust, testServiceConfig } from "@oms/testing";
// Services are not packages: the cross-service tests start them in process from their sources.
import { randomStore } from "../../../../dispatch/src/testing/fixtures.ts";
import { tokenRevocationRepository } from "../../adapters/pg/token-revocation-repository.ts";
import { tokenRevocationList } from "../../app/token-revocation-list.ts";
import { createIntakeService } from "../../service.ts";
import { expectProblem, freePort, httpClient, peersAt, type HttpAnswer } from "../../test-fixtures.ts";
import { startIntakeWithDispatch, type IntakeWithDispatch } from "./intake-with-dispatch.ts";

// Withdrawing tokens (ADR 022) through intake's API, with a real dispatch saying where staff
// work, and a second intake on the same schema reading the first one's revocations.
const refreshMs = 200;
let under: IntakeWithDispatch;
let api: ReturnType<typeof httpClient>;
let secondIntake: RunningService;
let secondApi: ReturnType<typeof httpClient>;

beforeAll(async () => {
  under = await startIntakeWithDispatch();
  api = under.api;
  const peers = peersAt(`127.0.0.1:${await freePort()}`, { dispatch: `127.0.0.1:${under.dispatch.grpc.port}` });
  secondIntake = await startService(createIntakeService({ callerTrust: testCallerTrust, tokenRevocationsRefreshMs: refreshMs }), testServiceConfig("intake", under.namespace, peers));
  secondApi = httpClient(secondIntake.httpPort);
});

afterAll(async () => {
  await secondIntake?.stop();
  await under?.stop();
});

const chainManager = callerHeaders("staff:m-chain:store-manager");
const allWeek = { start: "00:00", end: "24:00", days: [1, 2, 3, 4, 5, 6, 7] };

/** A member of staff dispatch places in the store, under an id of their own (a revoked id's cached token stays revoked). */
async function staffOf(storeId: string): Promise<string> {
  const staffId = `s-${randomUUID().slice(0, 8)}`;
  const member = { storeId, name: `Clerk ${staffId}`, roles: ["service-staff"], capacity: 3, shift: allWeek, timezone: "Asia/Shanghai" };
  expect((await api.put(`/v1/staff/${staffId}`, member, chainManager)).status).toBe(200);
  return staffId;
}

const ownTasks = (client: ReturnType<typeof httpClient>, staffId: string, headers: Record<string, string>) => client.get(`/v1/staff/${staffId}/tasks`, headers);
const revoke = (subject: string, headers: Record<string, string>, client = api) => client.post("/v1/token-revocations", { subject, reason: "left the chain" }, headers);
const rowsOf = async (subject: string) => (await under.intake.runtime.pool.query("SELECT * FROM token_revocations WHERE subject = $1", [subject])).rows;

function expectRevoked(answer: HttpAnswer): void {
  expectProblem(answer, 401, "caller.token-revoked");
  expect(answer.headers.get("www-authenticate")).toMatch(/^Bearer .*error="invalid_token"/);
}

describe("withdrawing a member of staff's tokens", () => {
  it("refuses their tokens once their store manager withdraws them, remembered ones too, and takes one issued after", async () => {
    const storeId = randomStore();
    const staffId = await staffOf(storeId);
    const clerk = callerHeaders(`staff:${staffId}:service-staff@${storeId}`);
    // Verified, and so remembered by this intake's verifier, before the revocation.
    expect((await ownTasks(api, staffId, clerk)).status).toBe(200);

    const manager = callerHeaders(`staff:m-${storeId}:store-manager@${storeId}`);
    const revoked = await revoke(`staff:${staffId}`, manager);
    expect(revoked.status, JSON.stringify(revoked.body)).toBe(201);
    expect(revoked.body).toMatchObject({
      subject: `staff:${staffId}`,
      revokedBy: { kind: "staff", id: `m-${storeId}`, role: "store-manager" },
      reason: "left the chain",
      correlationId: revoked.headers.get("x-request-id"),
    });
    const notBeforeMs = Date.parse(revoked.body.notBefore);
    const second = Math.floor(notBeforeMs / 1000);
    expect(Date.parse(revoked.body.tokensAcceptedIfIssuedFrom)).toBe((second + 1) * 1000);

    expectRevoked(await ownTasks(api, staffId, clerk));
    // Whatever role the token names, and a token of the revocation's own second: all the same person's, all refused.
    expectRevoked(await ownTasks(api, staffId, callerHeaders(`staff:${staffId}:rider@${storeId}`, { issuedAt: second })));
    expect((await ownTasks(api, staffId, callerHeaders(`staff:${staffId}:service-staff@${storeId}`, { issuedAt: second + 1 }))).status).toBe(200);

    const log = await api.get(`/v1/token-revocations?subject=staff:${staffId}`, manager);
    expect(log).toMatchObject({ status: 200, body: { revocations: [{ revocationId: revoked.body.revocationId, subject: `staff:${staffId}` }] } });
    expectProblem(await api.get("/v1/token-revocations", manager), 403, "caller.store-scope-required");
    expect(await rowsOf(`staff:${staffId}`)).toEqual([
      expect.objectContaining({ revoked_by_kind: "staff", revoked_by_id: `m-${storeId}`, revoked_by_role: "store-manager", reason: "left the chain" }),
    ]);
  });

  it("lets anyone of the staff sign out everywhere, and the log cannot be rewritten", async () => {
    const staffId = `s-${randomUUID().slice(0, 8)}`;
    const self = callerHeaders(`staff:${staffId}:order-taker@store-sh-jingan`);
    const revoked = await revoke(`staff:${staffId}`, self);
    expect(revoked.status, JSON.stringify(revoked.body)).toBe(201);
    expectRevoked(await revoke(`staff:${staffId}`, self));
    await expect(under.intake.runtime.pool.query("DELETE FROM token_revocations WHERE subject = $1", [`staff:${staffId}`])).rejects.toThrow(/append-only/);
    await expect(under.intake.runtime.pool.query("UPDATE token_revocations SET reason = 'x' WHERE subject = $1", [`staff:${staffId}`])).rejects.toThrow(/append-only/);
  });

  it("refuses a store manager another store's staff, and staff dispatch cannot place, writing nothing", async () => {
    const elsewhere = await staffOf(randomStore());
    const storeId = randomStore();
    const manager = callerHeaders(`staff:m-${storeId}:store-manager@${storeId}`);
    expectProblem(await revoke(`staff:${elsewhere}`, manager), 403, "caller.out-of-store-scope");
    expectProblem(await revoke(`staff:nobody-${randomUUID().slice(0, 8)}`, manager), 403, "caller.out-of-store-scope");
    expectProblem(await api.get(`/v1/token-revocations?subject=staff:${elsewhere}`, manager), 403, "caller.out-of-store-scope");
    // A customer belongs to no store: a manager held to one does not withdraw theirs.
    expectProblem(await revoke("customer:c-scoped", manager), 403, "caller.not-permitted");
    expect(await rowsOf(`staff:${elsewhere}`)).toEqual([]);
    expect(await rowsOf("customer:c-scoped")).toEqual([]);
    expect((await ownTasks(api, elsewhere, callerHeaders(`staff:${elsewhere}:service-staff`))).status).toBe(200);
  });
});

describe("withdrawing customers' and platforms' tokens", () => {
  it("is refused to a customer, for others' and their own, writing nothing", async () => {
    const customer = callerHeaders(`customer:c-${randomUUID().slice(0, 8)}`);
    const other = `customer:c-${randomUUID().slice(0, 8)}`;
    expectProblem(await revoke(other, customer), 403, "caller.not-permitted");
    expectProblem(await revoke("staff:s-1", customer), 403, "caller.not-permitted");
    expectProblem(await api.get(`/v1/token-revocations?subject=${other}`, customer), 403, "caller.not-permitted");
    expect(await rowsOf(other)).toEqual([]);
  });

  it("is a chain-wide auditor's or store manager's, and names the wrong field", async () => {
    const auditor = callerHeaders("staff:a-chain:auditor");
    const platform = `platform:p-${randomUUID().slice(0, 8)}`;
    expect((await revoke(platform, auditor)).status).toBe(201);
    expect((await revoke(`customer:c-${randomUUID().slice(0, 8)}`, chainManager)).status).toBe(201);
    expect((await api.get(`/v1/token-revocations?subject=${platform}`, auditor)).body.revocations).toHaveLength(1);
    expect((await api.get("/v1/token-revocations?pageSize=1", auditor)).body).toMatchObject({ revocations: [expect.any(Object)], nextBefore: expect.any(String) });

    const refused = await api.post("/v1/token-revocations", { subject: "system:intake" }, auditor);
    expectProblem(refused, 400);
    expect(refused.body.errors.map((e: { field: string }) => e.field).sort()).toEqual(["reason", "subject"]);
    expect((await api.post("/v1/token-revocations", { subject: "customer:anonymous", reason: "x" }, auditor)).body.errors).toEqual([
      { field: "subject", message: "an anonymous customer has no token to withdraw" },
    ]);
  });
});

describe("every intake honours a revocation", () => {
  it("on the one that wrote it at once, and on another within its refresh", async () => {
    const auditorId = `a-${randomUUID().slice(0, 8)}`;
    const auditor = callerHeaders(`staff:${auditorId}:auditor`);
    const query = "/v1/token-revocations?subject=platform:nobody";
    expect((await secondApi.get(query, auditor)).status).toBe(200);
    expect((await api.get(query, auditor)).status).toBe(200);

    expect((await revoke(`staff:${auditorId}`, chainManager)).status).toBe(201);
    const written = Date.now();
    expectRevoked(await api.get(query, auditor));
    const refusedBySecond = await eventually(async () => ((await secondApi.get(query, auditor)).status === 401 ? Date.now() : undefined), 10_000, 20);
    // A reading every 200 ms: well within a second even on a loaded machine.
    expect(refusedBySecond - written).toBeLessThan(refreshMs + 1_500);
    expectRevoked(await secondApi.get(query, auditor));
    const metrics = await secondApi.get("/metrics");
    expect(metrics.body).toMatch(/oms_intake_token_revocations_age_seconds/);
    expect((await secondApi.get("/readyz")).body.checks["token-revocations"]).toEqual({ ok: true });
  });

  it("does not start an intake that cannot read the revocations", async () => {
    const config = testServiceConfig("intake", under.namespace, peersAt(`127.0.0.1:${await freePort()}`));
    const intake = createIntakeService({ callerTrust: testCallerTrust });
    const unreadable: typeof intake = {
      ...intake,
      build: async (runtime) => {
        // Every statement goes through but the revocations' (a role that may not read the table, say).
        const query = runtime.pool.query.bind(runtime.pool) as (...args: unknown[]) => Promise<unknown>;
        runtime.pool.query = ((text: unknown, ...rest: unknown[]) =>
          typeof text === "string" && text.includes("token_revocations") ? Promise.reject(new Error("permission denied for table token_revocations")) : query(text, ...rest)) as never;
        try {
          return await intake.build(runtime);
        } catch (error) {
          // startService leaves a failed build's runtime to it.
          await runtime.producer.disconnect();
          await runtime.pool.end();
          throw error;
        }
      },
    };
    await expect(startService(unreadable, config)).rejects.toThrow(/token revocations cannot be read.*permission denied/);
  });
});

describe("revocations past the horizon", () => {
  // Tokens accepted up to an hour after they were issued: a revocation matters for an hour and the clock tolerance.
  const limits = { maxTokenAgeSeconds: 3_600, clockToleranceSeconds: 30, revocationHorizonSeconds: 3_630 };
  /** A revocation written `minutesAgo`, as the log would hold it had it been taken then. */
  const revokedAgo = async (subject: string, minutesAgo: number) =>
    (
      await under.intake.runtime.pool.query<{ not_before: Date }>(
        `INSERT INTO token_revocations (subject, not_before, revoked_by_kind, revoked_by_id, revoked_by_role, reason, correlation_id, recorded_at)
         SELECT $1, at, 'staff', 'a-chain', 'auditor', 'left the chain', 'c-horizon', at FROM (SELECT now() - make_interval(mins => $2) AS at) AS moment
         RETURNING not_before`,
        [subject, minutesAgo],
      )
    ).rows[0]!.not_before.getTime();

  it("are not loaded by an intake's list, and stay in the log", async () => {
    const [gone, recent, twice] = ["gone", "recent", "twice"].map((name) => `staff:${name}-${randomUUID().slice(0, 8)}`) as [string, string, string];
    await revokedAgo(gone, 120);
    const recentAt = await revokedAgo(recent, 10);
    await revokedAgo(twice, 180);
    const twiceAt = await revokedAgo(twice, 30);
    const { pool } = under.intake.runtime;
    const list = tokenRevocationList(
      { readAfter: (afterId, limit, from) => tokenRevocationRepository.after(pool, afterId, limit, from), logger: createLogger({ service: "intake", level: "silent", pretty: false }) },
      { refreshMs: 60_000, horizonSeconds: limits.revocationHorizonSeconds },
    );
    await list.start();
    list.stop();
    expect([list.notBeforeOf(gone), list.notBeforeOf(recent), list.notBeforeOf(twice)]).toEqual([undefined, recentAt, twiceAt]);
    expect(await rowsOf(gone)).toHaveLength(1);
    expect(await rowsOf(twice)).toHaveLength(2);
    expect((await api.get(`/v1/token-revocations?subject=${gone}`, chainManager)).body.revocations).toHaveLength(1);
  });

  it("let in no token they cut off: such a token is too old for the gateway anyway", async () => {
    const [gone, recent] = ["gone", "recent"].map(() => `a-${randomUUID().slice(0, 8)}`) as [string, string];
    const goneAtSeconds = Math.floor((await revokedAgo(`staff:${gone}`, 90)) / 1000);
    const recentAtSeconds = Math.floor((await revokedAgo(`staff:${recent}`, 20)) / 1000);
    const peers = peersAt(`127.0.0.1:${await freePort()}`, { dispatch: `127.0.0.1:${under.dispatch.grpc.port}` });
    const hourly = await startService(createIntakeService({ callerTrust: testCallerTrust, tokenAgeLimits: limits }), testServiceConfig("intake", under.namespace, peers));
    try {
      const hourlyApi = httpClient(hourly.httpPort);
      const query = "/v1/token-revocations?subject=platform:nobody";
      expectProblem(await hourlyApi.get(query, callerHeaders(`staff:${gone}:auditor`, { issuedAt: goneAtSeconds - 60 })), 401, "caller.token-expired");
      // Every token issued after it is as old, or younger and not cut off: signing in again works as ever.
      expectProblem(await hourlyApi.get(query, callerHeaders(`staff:${gone}:auditor`, { issuedAt: goneAtSeconds + 1 })), 401, "caller.token-expired");
      expect((await hourlyApi.get(query, callerHeaders(`staff:${gone}:auditor`, { issuedAt: Math.floor(Date.now() / 1000) - 60 }))).status).toBe(200);
      expectRevoked(await hourlyApi.get(query, callerHeaders(`staff:${recent}:auditor`, { issuedAt: recentAtSeconds - 60 })));
      expect((await hourlyApi.get(query, callerHeaders(`staff:${recent}:auditor`, { issuedAt: recentAtSeconds + 1 }))).status).toBe(200);
    } finally {
      await hourly.stop();
    }
  });
});
