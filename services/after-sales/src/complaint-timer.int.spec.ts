import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { EventTypes, type afterSalesApi } from "@oms/contracts";
import { startService, type RunningService } from "@oms/service-kit";
import { createTestNamespace, eventually, testServiceConfig, type TestNamespace } from "@oms/testing";
import { TimerPoller } from "@oms/timers";
import type { CaseDeps } from "./app/case-deps.ts";
import { answerComplaint } from "./app/commands/answer-complaint.ts";
import { TimerKinds } from "./app/complaint-timer.ts";
import { sealedWordsFromEnv } from "./app/sealed-words.ts";
import { complaintResponseDue } from "./ports/timers/complaint-response.ts";
import { defineAfterSalesService, policyDefaultsFromEnv } from "./service.ts";
import { afterSalesClients, agent, caseEventsOf, knownOrder, manager, newStore, openRequest, unseen } from "./test-fixtures.ts";

/**
 * A complaint's answer meeting its timer (ADR 017). The poller claims due timer rows and
 * then its handler locks the case; an answer (or a decline) takes the timer row before the
 * case row too, so the two never deadlock, and exactly one of them wins: answered in time
 * with the timer called off, or escalated and then answered late. Complaints are due in two
 * seconds here.
 */
let namespace: TestNamespace;
let afterSales: RunningService;
let clients: ReturnType<typeof afterSalesClients>;
let deps: CaseDeps;
const env = { AFTERSALES_COMPLAINT_RESPONSE_HOURS: String(2 / 3600) };

beforeAll(async () => {
  namespace = await createTestNamespace();
  afterSales = await startService(defineAfterSalesService(env), testServiceConfig("after-sales", namespace));
  clients = afterSalesClients(afterSales.grpc.port);
  const { pool, outbox } = afterSales.runtime;
  deps = { pool, outbox, clock: () => new Date(), policyDefaults: policyDefaultsFromEnv(env), words: sealedWordsFromEnv(env).words, visitAcceptanceHours: 72 };
});

afterAll(async () => {
  clients?.query.close();
  clients?.commands.close();
  await afterSales?.stop();
  await namespace?.drop();
});

const complaintOf = (orderId: string) => openRequest(orderId, { kind: "complaint", lines: [], description: "the parcel came open" });
const answerOf = (caseId: string): afterSalesApi.AnswerComplaintRequest => ({ caseId, caller: agent, correlationId: "", answer: "we are sorry" });

describe("an answer meeting its complaint's timer", () => {
  it("waits for a timer the poller claimed, without holding the case, then answers the case the timer escalated, late", async () => {
    // A store whose complaints are due in an hour: the service's own poller leaves this timer alone.
    const storeId = newStore();
    const policy = { storeId, warrantyDays: 365, returnDays: 7, complaintResponseHours: 1, kinds: ["complaint"], process: "", liability: "", updatedAt: "", updatedBy: "" };
    await clients.commands.setPolicy({ policy, caller: manager, correlationId: "" });
    const pool = afterSales.runtime.pool;
    const ask = complaintOf(await knownOrder(pool, { storeId, deliveredDaysAgo: 1 }));
    await clients.commands.openCase(ask);

    // What the poller does, one statement at a time: claim the row, mark it fired, run the handler.
    const poller = await pool.connect();
    try {
      await poller.query("BEGIN");
      // Below deadlock_timeout (1 s): were the case locked by the answer waiting on this row,
      // the handler's lock would time out here before a deadlock could be detected and resolved.
      await poller.query("SET LOCAL lock_timeout = '300ms'");
      const claimed = await poller.query<{ id: number; order_id: string; due_at: Date }>(
        "SELECT id, order_id, due_at FROM timers WHERE kind = $1 AND timer_key = $2 AND fired_at IS NULL AND cancelled_at IS NULL FOR UPDATE SKIP LOCKED",
        [TimerKinds.complaintResponse, ask.caseId],
      );
      const timer = claimed.rows[0]!;
      const pid = (await poller.query<{ pid: number }>("SELECT pg_backend_pid() AS pid")).rows[0]!.pid;
      const answering = clients.commands.answerComplaint(answerOf(ask.caseId));
      await eventually(async () => ((await pool.query("SELECT 1 FROM pg_stat_activity WHERE $1 = ANY(pg_blocking_pids(pid))", [pid])).rowCount ? true : undefined), 5_000, 20);

      await poller.query("UPDATE timers SET fired_at = now(), attempts = attempts + 1 WHERE id = $1", [timer.id]);
      const due = { id: timer.id, kind: TimerKinds.complaintResponse, key: ask.caseId, orderId: timer.order_id, dueAt: timer.due_at, payload: { caseId: ask.caseId }, attempts: 0 };
      await complaintResponseDue(deps)(due, poller);
      await poller.query("COMMIT");
      expect(await answering).toMatchObject({ escalated: true, answer: "we are sorry" });
    } catch (error) {
      await poller.query("ROLLBACK").catch(() => undefined);
      throw error;
    } finally {
      poller.release();
    }
    const published = await eventually(async () => {
      const found = await caseEventsOf(namespace.name, [ask.orderId]);
      return found.length === 3 ? found : undefined;
    });
    expect(published.map((e) => [e.type, e.type === EventTypes.ComplaintAnswered ? (e.payload as { late: boolean }).late : undefined])).toEqual([
      [EventTypes.CaseOpened, undefined],
      [EventTypes.CaseOverdue, undefined],
      [EventTypes.ComplaintAnswered, true],
    ]);
  });

  it("answered right at the respond-by time while the poller fires: in time with no escalation, or escalated then answered late; never an error", async () => {
    const pool = afterSales.runtime.pool;
    const storeId = newStore();
    const asks = await Promise.all(Array.from({ length: 6 }, async () => complaintOf(await knownOrder(pool, { storeId, deliveredDaysAgo: 1 }))));
    const opened = await Promise.all(asks.map((ask) => clients.commands.openCase(ask)));
    const poller = new TimerPoller({ pool, logger: afterSales.runtime.logger, handlers: { [TimerKinds.complaintResponse]: complaintResponseDue(deps) } });

    await Promise.all(
      opened.map(async (c) => {
        const respondBy = new Date(c.respondBy);
        await new Promise((resolve) => setTimeout(resolve, Math.max(0, respondBy.getTime() - Date.now())));
        // The answer's clock reads exactly the respond-by time: in time, unless the timer got there first.
        await Promise.all([answerComplaint({ ...deps, clock: () => respondBy }, answerOf(c.caseId)), poller.fireDue()]);
      }),
    );

    const orderIds = asks.map((ask) => ask.orderId);
    const published = await eventually(async () => {
      const found = await caseEventsOf(namespace.name, orderIds);
      return found.filter((e) => e.type === EventTypes.ComplaintAnswered).length === asks.length ? found : undefined;
    });
    const timers = await pool.query<{ timer_key: string; fired: boolean; cancelled: boolean; outages: number }>(
      "SELECT timer_key, fired_at IS NOT NULL AS fired, cancelled_at IS NOT NULL AS cancelled, outages FROM timers WHERE kind = $1 AND timer_key = ANY($2)",
      [TimerKinds.complaintResponse, asks.map((ask) => ask.caseId)],
    );
    for (const ask of asks) {
      const steps = published.filter((e) => e.orderId === ask.orderId && e.type !== EventTypes.CaseOpened);
      const outcome = steps.map((e) => (e.type === EventTypes.ComplaintAnswered ? `answered${(e.payload as { late: boolean }).late ? " late" : " in time"}` : e.type));
      const timer = timers.rows.find((t) => t.timer_key === ask.caseId)!;
      if (outcome[0] === EventTypes.CaseOverdue) {
        expect(outcome).toEqual([EventTypes.CaseOverdue, "answered late"]);
        expect(timer).toMatchObject({ fired: true, cancelled: false });
      } else {
        expect(outcome).toEqual(["answered in time"]);
        expect(timer).toMatchObject({ fired: false, cancelled: true });
      }
      expect((await clients.query.getCase({ caseId: ask.caseId, ...unseen })).escalated).toBe(outcome[0] === EventTypes.CaseOverdue);
      // No deadlock or lock timeout put the timer off.
      expect(timer.outages).toBe(0);
    }
  });
});
