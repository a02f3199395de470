import { readFileSync } from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { repositoryRoot } from "@oms/infra";
import { eventually } from "@oms/testing";
import { dispatchDesk } from "../support/dispatch-desk.ts";
import { publicApi, type PublicApi } from "../support/public-api.ts";
import { startSystem, type SystemUnderTest } from "../support/system-under-test.ts";

/**
 * Force majeure (ADR 027), through the seven services as separate processes: a typhoon
 * closes the roads around a store; its manager declares it through the gateway; the store's
 * open orders are held and their customers told the cause; while held, the riders given
 * their deliveries are neither timed out nor replaced (dispatch pauses the tasks, ADR 027
 * addendum); one customer continues with a new time and their order resumes with a fresh
 * window to acknowledge; another cancels, without charge; lifting ends the declaration.
 */
let system: SystemUnderTest;
let api: PublicApi;
let desk: ReturnType<typeof dispatchDesk>;
const demoOrder = JSON.parse(readFileSync(path.join(repositoryRoot, "infra/demo/chain.json"), "utf8")).demoOrder as Record<string, unknown>;

const storeId = "store-sh-jingan";
const manager = "staff:m-1:store-manager";
const customer = "customer:c-zhou";
// Shorter than the wait below, so a deadline that were not paused would lapse while held.
const acknowledgeWithinSeconds = 6;

beforeAll(async () => {
  system = await startSystem();
  api = publicApi(system.url, manager);
  desk = dispatchDesk(system.stack.services.dispatch.grpc);
  await desk.commands.setStoreSettings({ storeId, acknowledgeWithinSeconds, preferredStaffId: "" });
}, 180_000);

afterAll(async () => {
  desk?.close();
  await system?.stop();
});

async function placed(tag: string): Promise<string> {
  const response = await api.call("POST", "/v1/orders", customer, { ...demoOrder, channelOrderId: `WEB-FM-${tag}-${Date.now()}` });
  expect(response.status, JSON.stringify(response.body)).toBe(201);
  return response.body.orderId as string;
}

/** The order once dispatch gave its task to someone: its task id and who holds it. */
const assigned = (orderId: string) =>
  eventually(async () => {
    const order = (await api.call("GET", `/v1/orders/${orderId}`, manager)).body;
    return order.taskId && order.timeline?.some((t: { what: string }) => t.what === "task.assigned") ? (order.taskId as string) : undefined;
  }, 60_000, 200);

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe("force majeure at a store", () => {
  it("holds its orders, keeps their riders while held, resumes one the customer continues and cancels one the customer gives up", async () => {
    const [kept, given] = [await placed("KEEP"), await placed("CANCEL")];
    const [keptTask, givenTask] = [await assigned(kept), await assigned(given)];

    const eventId = `fm-e2e-${Date.now()}`;
    const cause = "Typhoon Haikui: the district closed its roads";
    const declared = await api.call("POST", `/v1/stores/${storeId}/force-majeure`, manager, {
      eventId,
      kind: "typhoon",
      cause,
      from: new Date(Date.now() - 60_000).toISOString(),
      expectedUntil: new Date(Date.now() + 86_400_000).toISOString(),
    });
    expect(declared.status, JSON.stringify(declared.body)).toBe(201);
    expect(declared.body).toMatchObject({ eventId, storeId, declaredBy: "staff:m-1" });

    for (const orderId of [kept, given]) {
      const onHold = await api.until(orderId, "on-hold");
      expect(onHold.holdReason).toBe("force-majeure");
      const told = onHold.timeline.find((t: { what: string }) => t.what === "order.exception-force-majeure");
      expect(told?.detail).toContain(cause);
    }

    // Well past the window to acknowledge: neither rider is timed out nor replaced.
    await sleep((acknowledgeWithinSeconds + 4) * 1_000);
    const whileHeld = await desk.queries.getTask({ taskId: keptTask });
    expect(whileHeld.assignments.map((a) => a.outcome)).toEqual(["open"]);
    expect((await desk.queries.getTask({ taskId: givenTask })).assignments.map((a) => a.outcome)).toEqual(["open"]);
    expect((await desk.queries.listOverdueSteps({ storeId })).steps.filter((s) => s.taskId === keptTask || s.taskId === givenTask)).toEqual([]);

    // The customer continues with a new time: work resumes at once where it was, the rider's window from now.
    const resumedAt = Date.now();
    const continued = await api.call("POST", `/v1/orders/${kept}/force-majeure-choice`, manager, {
      choice: "continue",
      requestedFrom: new Date(Date.now() + 3_600_000).toISOString(),
      requestedUntil: new Date(Date.now() + 4 * 3_600_000).toISOString(),
      note: "the customer takes the afternoon",
    });
    expect(continued.status, JSON.stringify(continued.body)).toBe(200);
    const resumed = await api.until(kept, "assigned");
    expect(resumed.timeline.some((t: { what: string }) => t.what === "order.exception-force-majeure-over")).toBe(true);
    const afterResume = await eventually(async () => {
      const task = await desk.queries.getTask({ taskId: keptTask });
      return new Date(task.acknowledgeBy).getTime() >= resumedAt ? task : undefined;
    }, 20_000, 200);
    // The first rider was never timed out during the hold: whatever happens next happens after it.
    const first = afterResume.assignments[0]!;
    expect(first.staffId).toBe(whileHeld.assignments[0]!.staffId);
    if (first.outcome === "missed") expect(new Date(first.outcomeAt).getTime()).toBeGreaterThanOrEqual(resumedAt);

    // The other customer gives up: cancelled without charge, its task called off.
    const cancelled = await api.call("POST", `/v1/orders/${given}/force-majeure-choice`, manager, { choice: "cancel", note: "no longer needed" });
    expect(cancelled.status, JSON.stringify(cancelled.body)).toBe(200);
    const gone = await api.until(given, "cancelled");
    expect(gone.timeline.find((t: { what: string }) => t.what === "order.cancelled")?.detail).toContain("without charge");
    // Its customer reads the cancellation's reason code in their words, not the store's (ADR 022, twenty-seventh-session addendum).
    const seen = (await api.call("GET", `/v1/orders/${given}`, customer)).body;
    expect(seen.timeline.find((t: { what: string }) => t.what === "order.cancellation")?.detail).toBe("cancelled without charge because of force majeure");
    await eventually(async () => ((await desk.queries.getTask({ taskId: givenTask })).status === "cancelled" ? true : undefined), 20_000, 200);

    // Lifted: nothing is held any more.
    const lifted = await api.call("POST", `/v1/force-majeure/${eventId}/lifting`, manager);
    expect(lifted.status, JSON.stringify(lifted.body)).toBe(200);
    expect(lifted.body).toMatchObject({ eventId, ordersHeld: 2, ordersStillHeld: 0 });
    expect(lifted.body.liftedAt).not.toBe("");
  });

  it("lists the store's declarations a page at a time through the gateway, newest first, and refuses a page asked wrongly", async () => {
    // The manager's own id for it, as long as the gateway takes and in Chinese: the token after it runs past 512 characters.
    const flood = { eventId: `${"洪".repeat(120)}${Date.now().toString(36).slice(-8)}`, kind: "flood", cause: "A burst main floods one street", from: new Date(Date.now() - 60_000).toISOString(), districts: ["Nowhere"] };
    expect((await api.call("POST", `/v1/stores/${storeId}/force-majeure`, manager, flood)).status).toBe(201);
    const listed: string[] = [];
    let query = "includeLifted=true&pageSize=1";
    for (let pages = 0; pages < 10; pages++) {
      const page = await api.call("GET", `/v1/stores/${storeId}/force-majeure?${query}`, manager);
      expect(page.status, JSON.stringify(page.body)).toBe(200);
      listed.push(...page.body.events.map((e: { eventId: string }) => e.eventId));
      if (page.body.nextPageToken === undefined) break;
      if (pages === 0) expect((page.body.nextPageToken as string).length).toBeGreaterThan(512);
      query = `includeLifted=true&pageSize=1&pageToken=${encodeURIComponent(page.body.nextPageToken as string)}`;
    }
    // The flood, then the typhoon lifted above: each once.
    expect(listed).toHaveLength(2);
    expect(listed[0]).toBe(flood.eventId);
    const refused = await api.call("GET", `/v1/stores/${storeId}/force-majeure?pageToken=not-one-of-ours`, manager);
    expect(refused.status).toBe(400);
    expect(JSON.stringify(refused.body)).toContain("pageToken");
    expect((await api.call("GET", `/v1/stores/${storeId}/force-majeure?pageSize=501`, manager)).status).toBe(400);
  });
});
