import { permissions } from "../../domain/permissions.ts";
import {
  CarrierReceiptRequestSchema,
  CarrierReceiptReversalRequestSchema,
  CarrierRecoveriesQuerySchema,
  CarrierRecoveryListSchema,
  CarrierRecoverySchema,
  CarrierRemittanceRequestSchema,
  CarrierRemittanceReversalRequestSchema,
  CarrierRemittanceViewSchema,
} from "./carrier-recovery-schemas.ts";
import { body, common, forbidden, jsonSchemaOf, ok, problem, queryParametersOf, storeParameters } from "./openapi-parts.ts";

const unavailable = problem("Billing cannot answer now (retry after Retry-After).");
const remittanceReferenceParameter = { name: "reference", in: "path", required: true, description: "The reference the remittance was booked under, URL-encoded.", schema: { type: "string" } };
const caseIdParameter = { name: "caseId", in: "path", required: true, description: "The after-sales case whose carrier claim was settled.", schema: { type: "string" } };

/** Money carriers owe on settled claims (ADR 017, second carrier addendum), asked of billing. */
export function carrierRecoveryPaths() {
  const record = permissions["record-carrier-receipt"].who;
  const reverse = permissions["reverse-carrier-receipt"].who;
  const list = permissions["list-carrier-recoveries"].who;
  const remit = permissions["record-carrier-remittance"].who;
  const readRemittance = permissions["read-carrier-remittance"].who;
  const reverseRemittance = permissions["reverse-carrier-remittance"].who;
  return {
    "/v1/carrier-recoveries/{caseId}/receipts": {
      post: {
        operationId: "recordCarrierReceipt",
        summary: "Book money a carrier paid on a settled claim",
        description:
          "Billing's RecordCarrierReceipt: billing holds what the carrier agreed to pay from the moment the claim is settled " +
          "(CarrierClaimSettled); finance books each payment as it arrives, in full or in part, never beyond what is owed. The recovery " +
          "goes due → partly-received → received, and CarrierRecoveryReceived is announced once per receipt. Your reference makes a retry " +
          `harmless: the same receipt again answers the recovery as it stands. Who: ${record}; a store-scoped clerk only for their stores' cases.`,
        parameters: [caseIdParameter, ...common],
        requestBody: body("CarrierReceipt", { amountMinor: 5_000, reference: "BANK-2026-12-07-0042" }),
        responses: {
          "201": ok("The receipt was booked (or had been, under this reference): the recovery now.", "CarrierRecovery"),
          "400": problem("Wrong fields, one message each (amountMinor, reference)."),
          "403": forbidden(`${record}, or a case of a store not yours`),
          "404": problem("Billing holds no money due from a carrier on this case: no settled claim heard of (carrier-recovery.unknown)."),
          "409": problem(
            "More than the carrier still owes (carrier-recovery.more-than-owed), the reference already books another amount or another case's payment (carrier-recovery.reference-reused), " +
              "or it booked a receipt since reversed: a reference stays spent (carrier-recovery.reference-reversed).",
          ),
          "503": unavailable,
        },
      },
    },
    "/v1/carrier-recoveries/{caseId}/receipt-reversals": {
      post: {
        operationId: "reverseCarrierReceipt",
        summary: "Reverse a carrier receipt booked in error",
        description:
          "Billing's ReverseCarrierReceipt (ADR 017, third carrier addendum): the receipt under the reference stays on the recovery, marked " +
          "reversed with your reason, and no longer counts: the recovery's received total goes back by its amount (received → partly-received " +
          "or due). A receipt is reversed once, and CarrierReceiptReversed is announced once. The reference stays spent: book the right " +
          `payment under a new one. The same reversal again answers the recovery as it stands. Who: ${reverse}; a store-scoped clerk only for their stores' cases.`,
        parameters: [caseIdParameter, ...common],
        requestBody: body("CarrierReceiptReversal", { reference: "BANK-2026-12-07-0042", reason: "booked on the wrong claim" }),
        responses: {
          "201": ok("The receipt was reversed (or had been, for this reason): the recovery now.", "CarrierRecovery"),
          "400": problem("Wrong fields, one message each (reference, reason: required, at most 500 characters)."),
          "403": forbidden(`${reverse}, or a case of a store not yours`),
          "404": problem("No settled claim heard of on this case (carrier-recovery.unknown), or no receipt under the reference on it (carrier-recovery.receipt-unknown)."),
          "409": problem("The receipt was already reversed for another reason (carrier-recovery.receipt-already-reversed)."),
          "503": unavailable,
        },
      },
    },
    "/v1/carrier-remittances": {
      post: {
        operationId: "recordCarrierRemittance",
        summary: "Book one carrier transfer paying several settled claims",
        description:
          "Billing's RecordCarrierRemittance (ADR 017, twenty-fifth session): one reference, one carrier, one currency, and what of the transfer pays " +
          "which claim. Every allocation is booked as a receipt of its claim's recovery, under <reference>#<place> (1-based), and announced as " +
          "CarrierRecoveryReceived naming the remittance — or, when any allocation cannot be booked, none is. Each allocation must name a settled " +
          "claim against that carrier, in that currency, for at most what it still owes. The reference is spent once, across receipts and " +
          "remittances; the same remittance again (its allocations in any order) answers it as it stands. An allocation booked in error is " +
          "reversed as its receipt, the whole transfer at POST /v1/carrier-remittances/{reference}/reversal. Neither reference may contain \"#\": it " +
          `names the allocations alone. Who: ${remit}, checked before any case is looked up; a store-scoped clerk only when every allocation's case is of their stores.`,
        parameters: [...common],
        requestBody: body("CarrierRemittance", {
          reference: "BANK-2026-12-07-0077",
          carrier: "SF Express",
          currency: "CNY",
          allocations: [
            { caseId: "case-7f3a", amountMinor: 8_000 },
            { caseId: "case-91c2", amountMinor: 2_500 },
          ],
        }),
        responses: {
          "201": ok("The remittance was booked (or had been, under this reference): the transfer and each claim's recovery now.", "CarrierRemittanceView"),
          "400": problem("Wrong fields, one message each, an allocation's by its place (allocations[1].amountMinor); a case named twice is refused at its second place."),
          "403": forbidden(`${remit}, or a case of a store not yours`),
          "404": problem("An allocation names a case with no settled claim heard of (carrier-recovery.unknown); the detail names each such allocation. Nothing booked."),
          "409": problem(
            "An allocation for more than its carrier still owes (carrier-recovery.more-than-owed), on another carrier's claim (carrier-remittance.other-carrier) or " +
              "in another currency (carrier-remittance.other-currency) — the detail names every allocation refused, the code is the first's; nothing booked — or " +
              "the reference already books a receipt or another remittance (carrier-recovery.reference-reused), or this remittance was reversed whole: a " +
              "reference stays spent (carrier-recovery.reference-reversed).",
          ),
          "503": unavailable,
        },
      },
    },
    "/v1/carrier-remittances/{reference}": {
      get: {
        operationId: "getCarrierRemittance",
        summary: "Read one carrier remittance back",
        description:
          "Billing's GetCarrierRemittance (ADR 017, twenty-sixth session): the transfer (carrier, total, currency, who booked it and when), each " +
          "allocation in its place with its case, store, receipt reference, amount and its reversal when reversed (with the whole or on its own), " +
          `the remittance's reversal when reversed whole, and each claim's recovery as it stands now. Who: ${readRemittance}; a store-scoped ` +
          "caller only when every allocation is of their stores — any other remittance is answered 404 as one nobody booked.",
        parameters: [remittanceReferenceParameter, ...common],
        responses: {
          "200": ok("The remittance as booked and as it stands.", "CarrierRemittanceView"),
          "403": forbidden(readRemittance),
          "404": problem("No remittance under the reference, or one with a claim of a store not yours (carrier-remittance.unknown)."),
          "503": unavailable,
        },
      },
    },
    "/v1/carrier-remittances/{reference}/reversal": {
      post: {
        operationId: "reverseCarrierRemittance",
        summary: "Reverse a whole carrier remittance booked in error",
        description:
          "Billing's ReverseCarrierRemittance (ADR 017, twenty-sixth session): every allocation's receipt reversed as a single receipt is — " +
          "marked reversed with your reason, its recovery's received total back by its amount, CarrierReceiptReversed announced once each naming the remittance (remittance_reference), and a " +
          "recovery left owing past its due date announced overdue (CarrierRecoveryOverdue) — all in one, or none. Refused when any allocation was " +
          "reversed on its own (reverse the rest one by one) or the remittance was reversed already for another reason; the same reversal again " +
          `answers the remittance as recorded. The references stay spent. Who: ${reverseRemittance}; a store-scoped clerk only when every allocation is of their stores.`,
        parameters: [remittanceReferenceParameter, ...common],
        requestBody: body("CarrierRemittanceReversal", { reason: "the bank returned the transfer" }),
        responses: {
          "201": ok("The remittance was reversed (or had been, for this reason): the transfer and each claim's recovery now.", "CarrierRemittanceView"),
          "400": problem("Wrong fields, one message each (reason: required, at most 500 characters)."),
          "403": forbidden(reverseRemittance),
          "404": problem("No remittance under the reference, or one with a claim of a store not yours (carrier-remittance.unknown)."),
          "409": problem(
            "An allocation was reversed on its own — the detail names each by its place, case and receipt; nothing reversed (carrier-remittance.allocation-reversed) — " +
              "or the remittance was reversed already for another reason (carrier-remittance.already-reversed).",
          ),
          "503": unavailable,
        },
      },
    },
    "/v1/stores/{storeId}/carrier-recoveries": {
      get: {
        operationId: "listCarrierRecoveries",
        summary: "What carriers owe the store on settled claims, the earliest dueBy first, a page at a time",
        description:
          "Billing's ListCarrierRecoveries: each recovery with its case, order, carrier and reference, what is due, received and outstanding, " +
          `every receipt (a reversed one with its reversal), and dueBy / overdue: by when the carrier should have paid in full (BILLING_CARRIER_RECOVERY_DUE_DAYS ` +
          "after the settlement) and whether that passed. outstandingOnly=true keeps only those not paid in full; overdueOnly=true only those past dueBy: " +
          "what to chase. Read a page at a time: pageSize (1–500, 100 when absent), then the answer's nextPageToken as pageToken until it is " +
          "absent; the order (dueBy, then caseId) holds across pages while receipts are booked. limit is pageSize's name before paging, kept for " +
          `callers built then. Who: ${list}; a store-scoped caller only for their stores.`,
        parameters: [storeParameters[0], ...queryParametersOf(CarrierRecoveriesQuerySchema), ...common],
        responses: {
          "200": ok("A page of the recoveries, at most pageSize (100 when absent), and nextPageToken when there are more.", "CarrierRecoveryList"),
          "400": problem(
            "outstandingOnly or overdueOnly not true or false, a pageSize or limit outside 1–500, both pageSize and limit, or a pageToken this list did not give; the field named.",
          ),
          "403": forbidden(`${list} (another store's is refused: caller.out-of-store-scope)`),
          "503": unavailable,
        },
      },
    },
  };
}

export const carrierRecoverySchemas = () => ({
  CarrierReceipt: jsonSchemaOf(CarrierReceiptRequestSchema, "input"),
  CarrierReceiptReversal: jsonSchemaOf(CarrierReceiptReversalRequestSchema, "input"),
  CarrierRecovery: jsonSchemaOf(CarrierRecoverySchema, "output"),
  CarrierRecoveryList: jsonSchemaOf(CarrierRecoveryListSchema, "output"),
  CarrierRemittance: jsonSchemaOf(CarrierRemittanceRequestSchema, "input"),
  CarrierRemittanceView: jsonSchemaOf(CarrierRemittanceViewSchema, "output"),
  CarrierRemittanceReversal: jsonSchemaOf(CarrierRemittanceReversalRequestSchema, "input"),
});
