import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { statementsSentByThisProcess } from "@oms/postgres";
import { startService, type RunningService } from "@oms/service-kit";
import { createTestNamespace, testServiceConfig, type TestNamespace } from "@oms/testing";
import { dispatchService } from "./service.ts";

/**
 * An idle system is quiet by design (ADR 013): what is announced (commits ringing the
 * relay's bell, NOTIFY for new tasks) is done at once, and the polls behind it look once
 * a second. Dispatch has every kind of poller (relay, timers, assignment worker); with
 * them at 200-250 ms it sent 28 statements a second doing nothing.
 */
let namespace: TestNamespace;
let dispatch: RunningService;

beforeAll(async () => {
  namespace = await createTestNamespace();
  dispatch = await startService(dispatchService, testServiceConfig("dispatch", namespace));
});

afterAll(async () => {
  await dispatch?.stop();
  await namespace?.drop();
});

describe("an idle dispatch", () => {
  it("sends Postgres only its pollers' few statements a second", async () => {
    await new Promise((resolve) => setTimeout(resolve, 1_500)); // start-up's own work done
    const before = statementsSentByThisProcess();
    const seconds = 4;
    await new Promise((resolve) => setTimeout(resolve, seconds * 1_000));
    const perSecond = (statementsSentByThisProcess() - before) / seconds;
    expect(perSecond).toBeGreaterThan(0); // the pollers still run
    // About 7 now (a relay pass, a timer look and an assignment pass a second); 28 before.
    expect(perSecond).toBeLessThanOrEqual(15);
  });
});
