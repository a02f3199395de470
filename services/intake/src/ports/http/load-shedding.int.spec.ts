import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startService, type RunningService } from "@oms/service-kit";
import { createTestNamespace, testCallerTrust, testServiceConfig, type TestNamespace } from "@oms/testing";
import { seedDemoCatalogue } from "../../app/commands/seed-demo-catalogue.ts";
import { createIntakeService } from "../../service.ts";
import { demoOrder, expectProblem, freePort, httpClient, peersAt } from "../../test-fixtures.ts";

// One intake with a low event-loop threshold sampled often; the spec itself makes the loop
// late by hogging it (intake runs in this process), so the overload is there exactly while it hogs.
let namespace: TestNamespace;
let intake: RunningService;
let api: ReturnType<typeof httpClient>;

beforeAll(async () => {
  namespace = await createTestNamespace();
  const definition = createIntakeService({
    callerTrust: testCallerTrust,
    loadShedding: { maxEventLoopDelayMs: 60, maxHeapUsedBytes: 0, retryAfterSeconds: 7, sampleIntervalMs: 200 },
  });
  intake = await startService(definition, testServiceConfig("intake", namespace, peersAt(`127.0.0.1:${await freePort()}`)));
  await seedDemoCatalogue(intake.runtime.pool);
  api = httpClient(intake.httpPort);
});

afterAll(async () => {
  await intake?.stop();
  await namespace?.drop();
});

/** Busy for 200 ms at a time with a few ms between, until stopped: a loop late by ~100 ms or more on average, whatever else the machine runs. */
function hogTheEventLoop(): { stop(): void } {
  let hogging = true;
  const hog = () => {
    const until = performance.now() + 200;
    while (performance.now() < until) {
      // Busy on purpose: nothing else runs on this thread meanwhile.
    }
    if (hogging) setTimeout(hog, 5);
  };
  setTimeout(hog, 0);
  return { stop: () => (hogging = false) };
}

async function readinessUntil(status: number, withinMs: number, client = api) {
  const deadline = Date.now() + withinMs;
  for (;;) {
    const answer = await client.get("/readyz");
    if (answer.status === status || Date.now() > deadline) return answer;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

const rowsOf = async (table: "orders" | "reviews" | "outbox") =>
  (await intake.runtime.pool.query<{ n: number }>(`SELECT count(*)::int AS n FROM ${table}`)).rows[0]!.n;

/** What intake's schema holds where an order would land; the relay flushed first, so an announcement in flight is not counted as written. */
async function storedRows() {
  await intake.relay.flush();
  return { orders: await rowsOf("orders"), reviews: await rowsOf("reviews"), outbox: await rowsOf("outbox") };
}

describe("intake sheds load while its event loop is late (ADR 009, twenty-eighth-session addendum)", () => {
  it("refuses an order with 503, Retry-After and problem details, writing nothing, keeps /healthz, /livez and /metrics, and serves again once the loop is on time", async () => {
    // Starting intake in this process made its loop late too: served once that has passed.
    expect((await readinessUntil(200, 5_000)).body).toMatchObject({ status: "ready", checks: { load: { ok: true } } });
    expect((await api.post("/v1/orders", await demoOrder())).status).toBe(201);
    const before = await storedRows();

    const hog = hogTheEventLoop();
    let overloaded;
    let shed;
    let health;
    let live;
    try {
      overloaded = await readinessUntil(503, 5_000);
      // A token that would be refused 401: shedding comes before authentication, so the answer is the overload's.
      shed = await api.post("/v1/orders", await demoOrder(), { authorization: "Bearer not-a-token" });
      health = await api.get("/healthz");
      live = await api.get("/livez");
    } finally {
      hog.stop();
    }

    // Readiness names the overload, so a load balancer sends requests elsewhere.
    expect(overloaded.status).toBe(503);
    expect(overloaded.body.checks.load).toMatchObject({ ok: false, detail: expect.stringMatching(/event-loop delay (\d+|≥ 200) ms over 60 ms/) });
    expectProblem(shed, 503, "intake.overloaded");
    expect(shed.headers.get("retry-after")).toBe("7");
    expect(shed.body).toMatchObject({ type: "https://oms.example/problems/unavailable", status: 503, detail: expect.stringMatching(/busy.*retry after 7 s/) });
    // /healthz answered itself (the other services are down here), not the overload.
    expect(health.body).toMatchObject({ status: "NOT_SERVING", services: { intake: "SERVING" } });
    expect(live.status).toBe(200);
    expect(await storedRows()).toEqual(before);

    const metrics = await api.get("/metrics");
    expect(metrics.body).toMatch(/oms_intake_shed_requests_total\{signal="event-loop-delay",route="\/v1\/orders",service="intake"\} 1\b/);

    expect((await readinessUntil(200, 5_000)).body).toMatchObject({ status: "ready", checks: { load: { ok: true } } });
    expect((await api.post("/v1/orders", await demoOrder())).status).toBe(201);
    expect((await storedRows()).orders).toBe(before.orders + 1);
  });
});

describe("intake sheds load while its heap in use is over the threshold", () => {
  it("refuses an order with 503 naming the heap, and says so on /readyz and in the counter", async () => {
    // Any heap is over one byte: this intake is overloaded from its first sample on.
    const heavy = await startService(
      createIntakeService({ callerTrust: testCallerTrust, loadShedding: { maxEventLoopDelayMs: 0, maxHeapUsedBytes: 1, retryAfterSeconds: 3, sampleIntervalMs: 100 } }),
      testServiceConfig("intake", namespace, peersAt(`127.0.0.1:${await freePort()}`)),
    );
    try {
      const client = httpClient(heavy.httpPort);
      // The first sample is taken a sample interval after the start.
      const ready = await readinessUntil(503, 5_000, client);
      expect(ready.status).toBe(503);
      expect(ready.body.checks.load).toMatchObject({ ok: false, detail: expect.stringMatching(/heap in use \d+ MB over 0 MB/) });
      const shed = await client.post("/v1/orders", await demoOrder());
      expectProblem(shed, 503, "intake.overloaded");
      expect(shed.headers.get("retry-after")).toBe("3");
      expect((await client.get("/metrics")).body).toMatch(/oms_intake_shed_requests_total\{signal="heap",route="\/v1\/orders",service="intake"\} 1\b/);
    } finally {
      await heavy.stop();
    }
  });
});
