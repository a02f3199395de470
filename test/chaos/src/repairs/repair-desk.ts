import { callerHeaders } from "@oms/testing";
import type { JsonClient } from "../../../support/http-client.ts";
import type { OrderTracker, TrackedOrder } from "../../../support/order-tracker.ts";
import { openedByDesk } from "../exchanges/exchange-plan.ts";
import { attemptOf, desk, shortKindOf, tryUntilAnswered, type Attempt } from "../exchanges/exchange-steps.ts";
import { nextVisitStep, rejectionReasonOf, rejectsFirstReport, repairCaseIdOf, repairsOrder, type VisitTaskSeen } from "./repair-plan.ts";

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Who repairs how much: `share` of delivered service orders; `rejectShare` of their first visits' reports rejected by the customer. */
export interface RepairSettings {
  share: number;
  rejectShare: number;
}

export interface RepairDeskOptions extends RepairSettings {
  /** How long one step (the opening, a round's visit, the rejection, the resolution) keeps retrying through a fault. */
  retryBudgetMs: number;
  thinkMs: [number, number];
  /** How long the technician's appointment lasts: the visit's report is due its end (and a grace) after it is agreed. */
  appointmentMs: number;
}

export interface RepairFigures {
  asked: number;
  accepted: number;
  /** Visit rounds the technician reported: the first ones, and the rework rounds the rejections opened. */
  firstVisitsReported: number;
  reportsRejected: number;
  reworkVisitsReported: number;
  resolved: number;
  retries: number;
  /** Repairs that did not reach their resolution, by why. */
  leftOpen: Record<string, number>;
}

/**
 * The after-sales desk, the store's technician and the customer working repairs through the
 * faults, through intake's public API (ADR 025): when a followed service order is delivered, a
 * share of its customers ask for a repair (online, or by phone through the desk: every guest and
 * some others); the desk accepts it, naming the technician who served the order; whoever dispatch
 * gives the visit to acknowledges, agrees an appointment, arrives, writes the service record and
 * reports (the task routes); for a share the customer rejects the report within the acceptance
 * period, naming its round, and the technician visits again to a new report; then the desk
 * resolves the case. Every step is retried until answered; each is taken from the task or the case
 * as they stand, so a retry after a lost answer does not do it twice. The rounds are judged by the
 * invariant `rejectedVisitsReworkedOnce` on after-sales' cases and the topics.
 */
export class RepairDesk {
  readonly #intake: JsonClient;
  readonly #options: RepairDeskOptions;
  readonly #customers = new Map<string, string>();
  readonly #asked = new Set<string>();
  readonly #figures: RepairFigures = { asked: 0, accepted: 0, firstVisitsReported: 0, reportsRejected: 0, reworkVisitsReported: 0, resolved: 0, retries: 0, leftOpen: {} };
  #pending = 0;
  #stopped = false;

  constructor(intake: JsonClient, tracker: OrderTracker, options: RepairDeskOptions) {
    this.#intake = intake;
    this.#options = options;
    tracker.onStatus(({ order, status }) => {
      if (status === "delivered") this.#consider(order);
    });
  }

  /** An order the load placed and intake accepted, with its customer's id ("" for a guest): they may ask for a repair once it is delivered. */
  follow(orderId: string, customerId: string): void {
    this.#customers.set(orderId, customerId);
  }

  get pending(): number {
    return this.#pending;
  }

  figures(): RepairFigures {
    return structuredClone(this.#figures);
  }

  stop(): void {
    this.#stopped = true;
  }

  #consider(order: TrackedOrder): void {
    const customerId = this.#customers.get(order.orderId);
    if (this.#stopped || customerId === undefined || this.#asked.has(order.orderId)) return;
    if (order.kind !== "service" || !repairsOrder(order.orderId, this.#options.share)) return;
    this.#asked.add(order.orderId);
    this.#figures.asked++;
    this.#pending++;
    void this.#repair(order, customerId)
      .catch((error: unknown) => this.#leaveOpen(`the desk's own error: ${(error as Error).message}`))
      .finally(() => this.#pending--);
  }

  async #repair(order: TrackedOrder, customerId: string): Promise<void> {
    const [min, max] = this.#options.thinkMs;
    await sleep(min + Math.random() * (max - min));
    const caseId = repairCaseIdOf(order.orderId);
    // A guest has no account to open a case or reject a visit with: the desk does both for them, and for some others who call.
    const customer = openedByDesk(order.orderId, customerId) ? desk : `customer:${customerId}`;
    const opened = await this.#until(() => this.#openAndAccept(order, caseId, customer));
    if (opened.verdict !== "done") return this.#leaveOpen(`repair not accepted: ${opened.why}`);
    this.#figures.accepted++;
    const taskId = String(opened.body?.visitTaskId ?? "");
    const appointed = new Set<string>();
    const first = await this.#until(() => this.#visitStep(taskId, 0, appointed));
    if (first.verdict !== "done") return this.#leaveOpen(`first visit not reported: ${first.why}`);
    this.#figures.firstVisitsReported++;
    let round = 0;
    if (rejectsFirstReport(order.orderId, this.#options.rejectShare)) {
      // After-sales hears of the report a moment after dispatch answered it: "not reported" until then.
      const path = `/v1/after-sales-cases/${encodeURIComponent(caseId)}/visit-rejection`;
      const rejected = await this.#until(async () =>
        attemptOf(await this.#intake.post(path, { reason: rejectionReasonOf(0), round: 0 }, callerHeaders(customer)), ["after-sales.visit-not-reported"]),
      );
      if (rejected.verdict !== "done") return this.#leaveOpen(`report not rejected: ${rejected.why}`);
      this.#figures.reportsRejected++;
      round = 1;
      const rework = await this.#until(() => this.#visitStep(taskId, 1, appointed));
      if (rework.verdict !== "done") return this.#leaveOpen(`rework visit not reported: ${rework.why}`);
      this.#figures.reworkVisitsReported++;
    }
    const resolved = await this.#until(() => this.#resolve(caseId, round));
    if (resolved.verdict !== "done") return this.#leaveOpen(`repair not resolved: ${resolved.why}`);
    this.#figures.resolved++;
  }

  /** Opened under its id (a retry answers the case as it stands), then accepted unless it already is. */
  async #openAndAccept(order: TrackedOrder, caseId: string, opener: string): Promise<Attempt> {
    const ask = { caseId, kind: "repair", channel: opener === desk ? "phone" : "online", description: "It stopped working a day after the visit.", lines: [] };
    const opening = attemptOf(await this.#intake.post(`/v1/orders/${order.orderId}/after-sales-cases`, ask, callerHeaders(opener)), ["after-sales.not-delivered-yet"]);
    if (opening.verdict !== "done") return opening;
    const status = opening.body?.status;
    if (status === "accepted" || status === "resolved") return opening;
    if (status !== "open") return { verdict: "refused", why: `the case is ${String(status)}: ${String(opening.body?.policyNote ?? "")}` };
    // The technician who served the order is offered the visit first (when dispatch finds them eligible).
    const acceptance = { assigneeStaffId: order.staffId || "chaos-desk", note: "technician visits" };
    return attemptOf(await this.#intake.post(`/v1/after-sales-cases/${encodeURIComponent(caseId)}/acceptance`, acceptance, callerHeaders(desk)));
  }

  /**
   * One step of the round's visit by whoever holds it now ("again" after it: the next step is
   * read off the task anew), done once the task shows the round's report. A step refused because
   * the task moved on under the caller (handed on, a lost answer's step already taken) is read again.
   */
  async #visitStep(taskId: string, round: number, appointed: Set<string>): Promise<Attempt> {
    const read = attemptOf(await this.#intake.get(`/v1/tasks/${encodeURIComponent(taskId)}`, callerHeaders(desk)), ["dispatch.task-not-found"]);
    // Dispatch makes the task when it hears of the acceptance: unknown until then.
    if (read.verdict !== "done") return read.why.startsWith("404") ? { ...read, verdict: "again" } : read;
    const task = read.body as unknown as VisitTaskSeen;
    const key = `${round} ${task.staffId}`;
    const step = nextVisitStep(task, round, appointed.has(key));
    if (step === "reported") return read;
    if (step === "gone") return { verdict: "refused", why: `the visit is ${task.status}` };
    if (step === "wait") return { verdict: "again", why: `round ${round} not with anyone yet (task ${task.status})` };
    const technician = callerHeaders(`staff:${task.staffId}:service-staff`);
    const path = `/v1/tasks/${encodeURIComponent(taskId)}`;
    const now = new Date();
    let answer: Attempt;
    if (step === "acknowledge") answer = attemptOf(await this.#intake.post(`${path}/acknowledgement`, {}, technician));
    else if (step === "appointment") {
      const agreed = { appointmentFrom: now.toISOString(), appointmentUntil: new Date(now.getTime() + this.#options.appointmentMs).toISOString(), needs: "repair: it stopped working" };
      answer = attemptOf(await this.#intake.post(`${path}/appointment`, agreed, technician));
      if (answer.verdict === "done") appointed.add(key);
    } else if (step === "check-in") {
      answer = attemptOf(await this.#intake.post(`${path}/check-in`, {}, technician));
      // Handed back and forth since the appointment (or it was spent by a rework): agree one anew.
      if (answer.why.endsWith("dispatch.no-appointment")) appointed.delete(key);
    } else {
      // Unique within the task (at most 64 characters): the round's, by whoever holds it.
      const record = { recordId: `round-${round}/${task.staffId}`.slice(0, 64), startedAt: now.toISOString(), finishedAt: now.toISOString(), content: `round ${round}: replaced the faulty part` };
      answer = attemptOf(await this.#intake.post(`${path}/service-records`, record, technician));
      if (answer.verdict === "done") answer = attemptOf(await this.#intake.post(`${path}/service-reports`, { checklist: [{ item: "works again", passed: true }], attachmentRefs: [] }, technician));
    }
    // A malformed step is the desk's own mistake; a step taken, or refused because the task moved on under the caller
    // (handed on, a lost answer's step already taken: 409/403), is followed by reading the task again.
    if (answer.verdict === "refused" && answer.why.startsWith("400")) return { ...answer, why: `${step}: ${answer.why} ${JSON.stringify(answer.body?.errors ?? [])}` };
    return { ...answer, verdict: "again", why: `${step}: ${answer.why}` };
  }

  /** Resolved once after-sales shows the last round's report (a resolution earlier would call that round off). */
  async #resolve(caseId: string, round: number): Promise<Attempt> {
    const casePath = `/v1/after-sales-cases/${encodeURIComponent(caseId)}`;
    const seen = attemptOf(await this.#intake.get(casePath, callerHeaders(desk)));
    if (seen.verdict !== "done") return seen;
    if (seen.body?.status === "resolved") return seen;
    if (seen.body?.visitStatus !== "done" || seen.body?.visitRound !== round) return { verdict: "again", why: `the case shows round ${String(seen.body?.visitRound)} ${String(seen.body?.visitStatus)}` };
    return attemptOf(await this.#intake.post(`${casePath}/resolution`, { resolution: "repaired on site", cause: "product", refundMinor: 0 }, callerHeaders(desk)));
  }

  /** Short waits while steps make progress (up to 2 s). */
  #until(attempt: () => Promise<Attempt>): Promise<Attempt> {
    return tryUntilAnswered(attempt, { budgetMs: this.#options.retryBudgetMs, maxDelayMs: 2_000, stopped: () => this.#stopped, onRetry: () => this.#figures.retries++ });
  }

  #leaveOpen(why: string): void {
    const kind = shortKindOf(why);
    this.#figures.leftOpen[kind] = (this.#figures.leftOpen[kind] ?? 0) + 1;
  }
}
