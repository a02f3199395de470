import path from "node:path";
import { Topics } from "@oms/contracts";
import { migrationsFromDirectory } from "@oms/postgres";
import { WAREHOUSE_PERSONAL_DATA_KEYS_VARIABLE } from "@oms/sealing";
import { ConfigError, wholeNumberFromEnv, type ServiceDefinition } from "@oms/service-kit";
import { TimerKinds } from "./app/complaint-timer.ts";
import { sealStoredWords } from "./app/seal-stored-words.ts";
import { PERSONAL_DATA_KEYS_VARIABLE, sealedWordsFromEnv } from "./app/sealed-words.ts";
import { caseKinds, maxPolicyDays, maxResponseHours, type PolicyDefaults } from "./domain/policy.ts";
import { caseRefundsConsumer } from "./ports/consumers/case-refunds.ts";
import { caseVisitsConsumer } from "./ports/consumers/case-visits.ts";
import { orderFactsConsumer } from "./ports/consumers/order-facts.ts";
import { returnedGoodsConsumer } from "./ports/consumers/returned-goods.ts";
import { afterSalesCommandsService } from "./ports/grpc/after-sales-commands.ts";
import { afterSalesQueryService } from "./ports/grpc/after-sales-query.ts";
import { complaintResponseDue } from "./ports/timers/complaint-response.ts";

const migrations = await migrationsFromDirectory(path.join(import.meta.dirname, "adapters/pg/migrations"), "after-sales");

const defaultProcess =
  "Tell us your order number and what happened, by phone, by e-mail, online or at the counter. We check the request against this policy, " +
  "accept it and name who handles it, or decline it and tell you why. Complaints are answered within the response time.";
const defaultLiability =
  "Goods may be returned or exchanged within the return period after delivery; repairs and maintenance are covered within the warranty. " +
  "Damage from misuse is not covered.";

/**
 * Hours from the environment: a positive number, a fraction allowed (tests answer a
 * complaint's deadline in seconds); people set whole hours in a store's own policy.
 */
function positiveHours(env: NodeJS.ProcessEnv, key: string, fallback: number, max: number): number {
  const raw = env[key];
  if (raw === undefined || raw === "") return fallback;
  const value = Number(raw);
  if (!Number.isFinite(value) || value <= 0 || value > max) throw new ConfigError(`${key} must be a positive number of hours up to ${max}, got ${JSON.stringify(raw)}`);
  return value;
}

/**
 * The chain's policy, for stores without their own: AFTERSALES_WARRANTY_DAYS (365),
 * AFTERSALES_RETURN_DAYS (7), AFTERSALES_COMPLAINT_RESPONSE_HOURS (24); every kind of request.
 */
export function policyDefaultsFromEnv(env: NodeJS.ProcessEnv = process.env): PolicyDefaults {
  return {
    warrantyDays: wholeNumberFromEnv(env, "AFTERSALES_WARRANTY_DAYS", 365, 0, maxPolicyDays),
    returnDays: wholeNumberFromEnv(env, "AFTERSALES_RETURN_DAYS", 7, 0, maxPolicyDays),
    complaintResponseHours: positiveHours(env, "AFTERSALES_COMPLAINT_RESPONSE_HOURS", 24, maxResponseHours),
    kinds: [...caseKinds],
    process: defaultProcess,
    liability: defaultLiability,
  };
}

/** Hours after a visit's report within which the customer may reject it: the service acceptance period fulfillment gives an order's service by default. */
export const defaultVisitAcceptanceHours = 72;
const maxVisitAcceptanceHours = 90 * 24;

/**
 * AFTERSALES_VISIT_ACCEPTANCE_HOURS (72, as FULFILLMENT_ACCEPTANCE_PERIOD_HOURS): how long after
 * a repair or maintenance visit's report the customer may reject it (ADR 025, rework addendum).
 * A fraction is allowed (specs let the period end within seconds).
 */
export function visitAcceptanceHoursFromEnv(env: NodeJS.ProcessEnv = process.env): number {
  return positiveHours(env, "AFTERSALES_VISIT_ACCEPTANCE_HOURS", defaultVisitAcceptanceHours, maxVisitAcceptanceHours);
}

/**
 * After-sales' composition root, its settings from `env` (tests pass their own): the order
 * facts requests are judged against, the stores' policies, and cases (ADR 017) with their
 * complaint timers, published on `oms.aftersales.case.v1` through the outbox; the customer's
 * own words (descriptions, survey comments) sealed under AFTERSALES_PERSONAL_DATA_KEYS, and
 * those stored before sealed at start.
 */
export function defineAfterSalesService(env: NodeJS.ProcessEnv = process.env): ServiceDefinition {
  return {
    name: "after-sales",
    topic: Topics.afterSalesCase,
    migrations,
    build: async ({ pool, outbox, logger }) => {
      const policyDefaults = policyDefaultsFromEnv(env);
      const { words, development, reasonsDevelopment } = sealedWordsFromEnv(env);
      if (reasonsDevelopment) logger.warn(`${WAREHOUSE_PERSONAL_DATA_KEYS_VARIABLE} is not set: the desk's call-off reasons are opened and sealed under a development key anyone can derive`);
      if (development) logger.warn(`${PERSONAL_DATA_KEYS_VARIABLE} is not set: customers' words in after-sales are sealed under a development key anyone can derive`);
      else logger.info({ keyId: words.keyId }, "customers' words in after-sales sealed under the configured key");
      // A deployment with its own key but not yet the warehouse's (the variable is new to after-sales): old call-off reasons
      // sealed now would be sealed under the key anyone can derive, and once the real ring is set no key here would open them.
      // They stay in the clear, as they were, until a start with the warehouse's ring seals them.
      const sealCallOffReasons = !reasonsDevelopment || development;
      if (!sealCallOffReasons) logger.warn(`the desk's call-off reasons stored in the clear stay so until after-sales starts with ${WAREHOUSE_PERSONAL_DATA_KEYS_VARIABLE}`);
      await sealStoredWords(pool, words, logger, { callOffReasons: sealCallOffReasons });
      const deps = { pool, outbox, clock: () => new Date(), policyDefaults, words, visitAcceptanceHours: visitAcceptanceHoursFromEnv(env) };
      return {
        consumers: [orderFactsConsumer(), returnedGoodsConsumer(), caseVisitsConsumer(), caseRefundsConsumer()],
        grpc: [afterSalesQueryService(pool, policyDefaults, words, deps.clock), afterSalesCommandsService(deps)],
        timers: { [TimerKinds.complaintResponse]: complaintResponseDue(deps) },
      };
    },
  };
}

export const afterSalesService: ServiceDefinition = defineAfterSalesService();
