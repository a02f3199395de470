import { finance, type HumanApi } from "../../support/human-api.ts";
import { businessCustomers } from "../../support/order-factory.ts";
import type { StepSettings } from "../../support/step-settings.ts";

/** Which business customers finance assesses good and which poor (ADR 019). */
export type BusinessCredit = NonNullable<StepSettings["credit"]>;

/**
 * A good customer's limit: far above what one could owe in a run (a few hundred orders, each
 * below its store's review threshold), so every order of theirs fits it and is approved; a
 * tenth of the largest limit billing takes.
 */
export const goodLimitMinor = 10_000_000_000;

/** The last `poorCustomers` business customers are assessed poor, the others good. */
export function businessCreditOf(poorCustomers: number): BusinessCredit {
  const poorFrom = Math.max(0, businessCustomers.length - poorCustomers);
  return { good: businessCustomers.slice(0, poorFrom), poor: businessCustomers.slice(poorFrom) };
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * A finance clerk assesses the business customers through billing's commands, as the
 * simulated finance clerk confirms payments. Done before the load and the first fault: an
 * order placed before its customer's assessment would wait on hold for a clerk instead of
 * being decided by billing. A refused or unanswered call is sent again unchanged (billing
 * keeps the same assessment again once); the run stops if billing never says the credit is
 * what was asked.
 */
export async function assessBusinessCustomers(api: HumanApi, credit: BusinessCredit, currency: string, retryBudgetMs: number): Promise<void> {
  const caller = { callerKind: finance.kind, callerId: finance.id, callerRole: finance.role };
  const asked = [
    ...credit.good.map((customerId) => ({
      customerId,
      rating: "good",
      limit: { minor: goodLimitMinor, currency },
      termsDays: 30,
      reason: "a business customer of the fault harness, paying on time",
    })),
    ...credit.poor.map((customerId) => ({ customerId, rating: "poor", limit: undefined, termsDays: 0, reason: "a business customer of the fault harness, invoices long overdue" })),
  ];
  for (const assessment of asked) {
    const deadline = Date.now() + retryBudgetMs;
    let delay = 200;
    for (;;) {
      try {
        const view = await api.billing.assessCredit({ ...assessment, ...caller });
        if (view.current?.rating !== assessment.rating) throw new Error(`billing answered ${assessment.customerId}'s credit as ${view.current?.rating ?? "unassessed"}`);
        break;
      } catch (error) {
        if (Date.now() + delay > deadline) throw new Error(`could not assess ${assessment.customerId}'s credit: ${(error as Error).message}`);
        await sleep(delay);
        delay = Math.min(delay * 2, 5_000);
      }
    }
  }
}
