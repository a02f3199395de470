import type pg from "pg";
import { EventTypes, type billingApi } from "@oms/contracts";
import { ConflictError, IllegalStateError, NotFoundError, ValidationError, type DomainError, type FieldError } from "@oms/errors";
import type { OutboxWriter } from "@oms/messaging";
import { retryOnConflict, withTransaction } from "@oms/postgres";
import { carrierRecoveryRepository } from "../../adapters/pg/carrier-recovery-repository.ts";
import { carrierRemittanceRepository } from "../../adapters/pg/carrier-remittance-repository.ts";
import { allocationReference, decideRemittance, typedReferenceFault, type AllocationRefusal, type Remittance, type RemittanceDecision } from "../../domain/carrier-remittance.ts";
import { mayDescribeSpent, spentOnName } from "../../domain/carrier-recovery.ts";
import { financeClerkOf, moneyOfRecovery, recoveryEvent, recoveryStanding } from "./finance-on-recovery.ts";
import { REFERENCE_MAX } from "./record-carrier-receipt.ts";
import { getCarrierRemittance } from "./carrier-remittance-views.ts";

/** The most claims one transfer pays here: a bank line's remittance advice, not a ledger import. */
export const ALLOCATIONS_MAX = 50;
/** Room for "#<place>": each allocation's receipt reference stays within a receipt's own bound. */
const REMITTANCE_REFERENCE_MAX = REFERENCE_MAX - 1 - String(ALLOCATIONS_MAX).length;
const CARRIER_MAX = 100;

/**
 * A finance clerk books one carrier transfer paying several of that carrier's settled claims
 * (ADR 017, twenty-fifth session): every allocation a receipt of its recovery, each announced as
 * CarrierRecoveryReceived naming the remittance, all in one transaction under the recoveries'
 * locks — or, if any allocation cannot be booked, none. The reference is spent once, across
 * receipts and remittances: the same remittance again answers it as it stands.
 */
export async function recordCarrierRemittance(pool: pg.Pool, outbox: OutboxWriter, request: billingApi.RecordCarrierRemittanceRequest, correlationId: string): Promise<billingApi.CarrierRemittanceView> {
  const actor = financeClerkOf(request, "only a finance clerk books money received from a carrier");
  const remittance = remittanceOf(request);
  const bookedBy = `staff:${actor.id}`;
  const { decision, spentOn } = await retryOnConflict(() =>
    withTransaction(pool, async (tx): Promise<{ decision: RemittanceDecision; spentOn: SpentOn }> => {
      // Every recovery first (in case order, as any other command takes them), then the reference.
      const recoveries = await carrierRecoveryRepository.lockAll(tx, remittance.allocations.map((a) => a.caseId));
      await carrierRemittanceRepository.lockReference(tx, remittance.reference);
      const spentByRemittance = await carrierRemittanceRepository.find(tx, remittance.reference);
      const decided = decideRemittance(remittance, recoveries, {
        remittance: spentByRemittance,
        // A whole reversal holds the reference too, so this sees one that committed before.
        remittanceReversedWhole: spentByRemittance !== undefined && (await carrierRemittanceRepository.reversalOf(tx, remittance.reference)) !== undefined,
        receipt: await carrierRecoveryRepository.receiptUnder(tx, remittance.reference),
        allocationReferencesTaken: await carrierRemittanceRepository.takenReferences(tx, remittance.allocations.map((_, i) => allocationReference(remittance.reference, i))),
      });
      if (decided.kind === "reference-reused") {
        // Named and described only as the caller may see it: the gateway held them to the allocations' stores, no other.
        const yours = { caseIds: remittance.allocations.map((a) => a.caseId), storeIds: new Set([...recoveries.values()].map((r) => r.storeId)) };
        if ("remittance" in decided.earlier) {
          return { decision: decided, spentOn: { name: "", described: mayDescribeSpent(await carrierRemittanceRepository.storesOf(tx, remittance.reference), yours) } };
        }
        const { caseId } = decided.earlier.receipt;
        const spentOnStore = await carrierRecoveryRepository.storeOf(tx, caseId);
        return { decision: decided, spentOn: { name: spentOnName({ caseId, storeId: spentOnStore }, yours), described: mayDescribeSpent([spentOnStore], yours) } };
      }
      if (decided.kind !== "book") return { decision: decided, spentOn: unspent };
      if (!(await carrierRemittanceRepository.book(tx, { ...remittance, totalMinor: decided.totalMinor, bookedBy }, decided.receipts))) {
        throw new ConflictError("db.concurrent-update", `a receipt reference of remittance ${remittance.reference} was booked meanwhile; retry`);
      }
      const events = decided.receipts.map((receipt) => {
        const recovery = recoveries.get(receipt.caseId)!;
        const payload = { ...recoveryStanding(recovery, receipt), reference: receipt.reference, received: moneyOfRecovery(recovery)(receipt.amountMinor), remittanceReference: remittance.reference };
        return recoveryEvent(EventTypes.CarrierRecoveryReceived, recovery, payload, actor, correlationId);
      });
      await outbox.append(tx, events);
      return { decision: decided, spentOn: unspent };
    }),
  );
  if (decision.kind === "reference-reused") throw referenceReused(remittance.reference, decision.earlier, spentOn);
  if (decision.kind === "reference-reversed") {
    throw new ConflictError(
      "carrier-recovery.reference-reversed",
      `remittance ${remittance.reference} was reversed whole: a reference is spent for good, book the transfer under a new one`,
    );
  }
  if (decision.kind === "refused") throw allocationsRefused(decision.refusals);
  return getCarrierRemittance(pool, remittance.reference);
}

/** The request as a remittance, or every wrong field named (`allocations[2].amountMinor`). */
function remittanceOf(request: billingApi.RecordCarrierRemittanceRequest): Remittance {
  const errors: FieldError[] = [];
  const reference = request.reference.trim();
  const carrier = request.carrier.trim();
  const currency = request.currency.trim();
  if (!reference) errors.push({ field: "reference", message: "is required (finance's own reference of the transfer; makes a retry harmless)" });
  else if (reference.length > REMITTANCE_REFERENCE_MAX) errors.push({ field: "reference", message: `must be at most ${REMITTANCE_REFERENCE_MAX} characters` });
  else if (typedReferenceFault(reference)) errors.push({ field: "reference", message: typedReferenceFault(reference)! });
  if (!carrier) errors.push({ field: "carrier", message: "is required (the carrier paying, as its claims were filed)" });
  else if (carrier.length > CARRIER_MAX) errors.push({ field: "carrier", message: `must be at most ${CARRIER_MAX} characters` });
  if (!/^[A-Z]{3}$/.test(currency)) errors.push({ field: "currency", message: "must be an ISO 4217 code such as CNY" });
  if (request.allocations.length === 0 || request.allocations.length > ALLOCATIONS_MAX) errors.push({ field: "allocations", message: `must name 1 to ${ALLOCATIONS_MAX} claims` });
  const placeOf = new Map<string, number>();
  const allocations = request.allocations.map((allocation, i) => {
    const caseId = allocation.caseId.trim();
    if (!caseId) errors.push({ field: `allocations[${i}].caseId`, message: "is required" });
    else if (placeOf.has(caseId)) errors.push({ field: `allocations[${i}].caseId`, message: `names the case of allocations[${placeOf.get(caseId)}] again: one allocation per claim` });
    else placeOf.set(caseId, i);
    if (!Number.isSafeInteger(allocation.amountMinor) || allocation.amountMinor <= 0) errors.push({ field: `allocations[${i}].amountMinor`, message: "must be a positive integer of minor units" });
    return { caseId, amountMinor: allocation.amountMinor };
  });
  // The transfer's total is kept and answered as one number: past 2^53 it would be neither exact nor readable over gRPC.
  const amountsSafe = allocations.every((a) => Number.isSafeInteger(a.amountMinor));
  if (amountsSafe && !Number.isSafeInteger(allocations.reduce((total, a) => total + a.amountMinor, 0))) {
    errors.push({ field: "allocations", message: `must add up to at most ${Number.MAX_SAFE_INTEGER} minor units` });
  }
  if (errors.length > 0) throw new ValidationError(errors);
  return { reference, carrier, currency, allocations };
}

/** How a refusal may speak of the payment that spent the reference: its claim's name, and whether more (amount, carrier, claims) may be told. */
interface SpentOn {
  name: string;
  described: boolean;
}
const unspent: SpentOn = { name: "", described: false };

function referenceReused(reference: string, earlier: Extract<RemittanceDecision, { kind: "reference-reused" }>["earlier"], spentOn: SpentOn): DomainError {
  const what =
    "remittance" in earlier
      ? spentOn.described
        ? `remittance of ${earlier.remittance.carrier} paying ${earlier.remittance.allocations.length} claims`
        : "remittance paying a claim of another store"
      : spentOn.described
        ? `receipt of ${earlier.receipt.amountMinor} on ${spentOn.name}`
        : `payment on ${spentOn.name}`;
  return new ConflictError("carrier-recovery.reference-reused", `reference ${reference} already books a ${what}: another payment needs a reference of its own`);
}

/** One refusal naming every allocation that cannot be booked; its kind and code are the first one's. */
function allocationsRefused(refusals: readonly AllocationRefusal[]): DomainError {
  const detail = refusals.map((r) => `allocations[${r.index}] (case ${r.caseId}): ${refusalText(r)}`).join("; ");
  const first = refusals[0]!;
  switch (first.kind) {
    case "unknown-recovery":
      return new NotFoundError("carrier-recovery.unknown", `nothing booked: ${detail}`);
    case "other-carrier":
      return new IllegalStateError("carrier-remittance.other-carrier", `nothing booked: ${detail}`);
    case "other-currency":
      return new IllegalStateError("carrier-remittance.other-currency", `nothing booked: ${detail}`);
    case "more-than-owed":
      return new IllegalStateError("carrier-recovery.more-than-owed", `nothing booked: ${detail}`);
    case "reference-taken":
      return new ConflictError("carrier-recovery.reference-reused", `nothing booked: ${detail}`);
    default: {
      const never: never = first;
      return never;
    }
  }
}

function refusalText(refusal: AllocationRefusal): string {
  switch (refusal.kind) {
    case "unknown-recovery":
      return "billing holds no money due from a carrier on it (no settled claim heard of)";
    case "other-carrier":
      return `its claim is against ${refusal.carrier || "an unnamed carrier"}, not the carrier paying`;
    case "other-currency":
      return `its recovery is in ${refusal.currency}`;
    case "more-than-owed":
      return `more than the carrier still owes on it (${refusal.outstandingMinor})`;
    case "reference-taken":
      return `its receipt reference ${refusal.reference} already books a payment`;
    default: {
      const never: never = refusal;
      return never;
    }
  }
}
