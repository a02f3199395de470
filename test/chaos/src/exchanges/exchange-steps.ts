import { callerHeaders } from "@oms/testing";
import type { JsonClient, JsonResponse } from "../../../support/http-client.ts";
import { verdictOf, type AnswerVerdict } from "./exchange-plan.ts";
import type { ExchangeFigures } from "./exchange-desk.ts";

/** What became of one try at a step: done, refused, or to be tried again; for the report, why and the answer's body. */
export interface Attempt {
  verdict: AnswerVerdict;
  why: string;
  body?: Record<string, unknown>;
}

/** Who the harness's people are: the after-sales desk, a chain-wide warehouse clerk, finance. */
export const desk = "staff:chaos-desk:customer-service";
export const clerk = "staff:chaos-clerk:warehouse-clerk";
export const finance = "staff:chaos-finance:finance";

/** An answer as an attempt's outcome: its verdict and, for the report, its status and problem code. */
export function attemptOf(answer: JsonResponse, notYet: readonly string[] = []): Attempt {
  const body = (typeof answer.body === "object" && answer.body !== null ? answer.body : {}) as Record<string, unknown>;
  const code = typeof body.code === "string" ? body.code : undefined;
  const verdict = verdictOf({ status: answer.status, code, retryAfter: answer.headers["retry-after"] !== undefined }, notYet);
  return { verdict, why: `${answer.status}${code ? ` ${code}` : ""}`, body };
}

/** What the exchange desk lends its later steps (exchange-later-steps.ts): the API, its retrying, its figures, its shortages. */
export interface DeskSteps {
  intake: JsonClient;
  /** Tries until an answer that is not "again", or the retry budget runs out. */
  until(attempt: () => Promise<Attempt>): Promise<Attempt>;
  figures: ExchangeFigures;
  /** An exchange stopped short of a step, counted by why. */
  countShort(why: string): void;
  /** Store/SKU pairs the harness holds short right now: one exchange at a time each. */
  short: Set<string>;
}

/** How a desk retries a step: within its budget, waits doubling up to a ceiling, until the harness stops. */
export interface Retrying {
  budgetMs: number;
  maxDelayMs: number;
  stopped(): boolean;
  /** Counted for the report: each try after the first. */
  onRetry(): void;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Tries until an answer that is not "again" (no answer at all is "again": the gateway may be down), or the budget runs out. */
export async function tryUntilAnswered(attempt: () => Promise<Attempt>, retrying: Retrying): Promise<Attempt> {
  const deadline = Date.now() + retrying.budgetMs;
  let delay = 200;
  for (;;) {
    const outcome = await attempt().catch((error: unknown): Attempt => ({ verdict: "again", why: (error as Error).message }));
    if (outcome.verdict !== "again") return outcome;
    if (retrying.stopped()) return { verdict: "refused", why: `stopped while ${outcome.why}` };
    if (Date.now() + delay > deadline) return { verdict: "refused", why: `gave up after ${retrying.budgetMs / 1000} s: ${outcome.why}` };
    retrying.onRetry();
    await sleep(delay);
    delay = Math.min(delay * 2, retrying.maxDelayMs);
  }
}

/** Why a step stopped short, as a kind the report counts: ids and numbers taken out. */
export function shortKindOf(why: string): string {
  return why.replace(/[0-9a-f]{8}-[0-9a-f-]{27}/gi, "<id>").replace(/\d+/g, "N").slice(0, 120);
}

/**
 * A replacement as the store's list shows it, read page after page (the list is paged since the
 * twenty-ninth session: a store with more to ship than a page would have hidden the later
 * ones); a page not answered is the attempt to try again, none listing it leaves `listed` unset.
 */
export async function replacementOnList(intake: Pick<JsonClient, "get">, storeId: string, caseId: string, who: string): Promise<{ attempt: Attempt; listed?: { caseId: string; status: string } }> {
  let pageToken = "";
  for (;;) {
    const query = `pageSize=500${pageToken && `&pageToken=${encodeURIComponent(pageToken)}`}`;
    const attempt = attemptOf(await intake.get(`/v1/stores/${encodeURIComponent(storeId)}/replacements?${query}`, callerHeaders(who)));
    if (attempt.verdict !== "done") return { attempt };
    const listed = ((attempt.body?.replacements ?? []) as { caseId: string; status: string }[]).find((r) => r.caseId === caseId);
    pageToken = typeof attempt.body?.nextPageToken === "string" ? attempt.body.nextPageToken : "";
    if (listed || !pageToken) return listed ? { attempt, listed } : { attempt };
  }
}
