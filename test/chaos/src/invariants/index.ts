import { complaintsHandledOnce } from "./after-sales.ts";
import { carrierClaimsOnce } from "./carrier-claims.ts";
import { carrierRecoveriesBookedOnce } from "./carrier-recoveries.ts";
import { cancelledOrdersUnwound } from "./cancellations.ts";
import type { Invariant } from "./context.ts";
import { onCreditOrdersDecidedOnce } from "./credit.ts";
import { exchangesReplacedOnce } from "./exchanges.ts";
import { restockDatesAsTold } from "./restock-dates.ts";
import { invoicesWithoutGap } from "./invoices.ts";
import { deadLettersAreOnlyThePlanted, outboxesDrained } from "./messaging.ts";
import { everyTimerFiredOnce, goodwillRefundedOnce, moneyBalancesForClosedOrders, noRefundExceedsItsPayment } from "./money-and-timers.ts";
import { moneyReconcilesWithOrders } from "./reconciliation.ts";
import { archiveFiledEveryEvent, eachDecisionPublishedOnce, eachStepRecordedOnce, everyOrderReachedItsEnd, noOrderLostOrDuplicated } from "./orders.ts";
import { rejectedVisitsReworkedOnce } from "./visit-rework.ts";
import { neverTwoAssignees, stockConserved } from "./warehouse-and-dispatch.ts";

export * from "./context.ts";

/** The invariants, in the order the report lists them. */
export const invariants: Invariant[] = [
  noOrderLostOrDuplicated,
  everyOrderReachedItsEnd,
  eachStepRecordedOnce,
  eachDecisionPublishedOnce,
  archiveFiledEveryEvent,
  stockConserved,
  // After the ledger: an exchange's replacement on the case, the order's timeline and the topic.
  exchangesReplacedOnce,
  restockDatesAsTold,
  neverTwoAssignees,
  // Credit decides whether an on-credit order's work starts at all, before any money moves.
  onCreditOrdersDecidedOnce,
  moneyBalancesForClosedOrders,
  noRefundExceedsItsPayment,
  cancelledOrdersUnwound,
  goodwillRefundedOnce,
  complaintsHandledOnce,
  rejectedVisitsReworkedOnce,
  carrierClaimsOnce,
  carrierRecoveriesBookedOnce,
  invoicesWithoutGap,
  moneyReconcilesWithOrders,
  everyTimerFiredOnce,
  deadLettersAreOnlyThePlanted,
  outboxesDrained,
];
