import { permissions } from "../../domain/permissions.ts";
import { CarrierReceiptRequestSchema, CarrierReceiptReversalRequestSchema, CarrierRecoveriesQuerySchema, CarrierRecoveryListSchema, CarrierRecoverySchema } from "./carrier-recovery-schemas.ts";
import { body, common, forbidden, jsonSchemaOf, ok, problem, queryParametersOf, storeParameters } from "./openapi-parts.ts";

const unavailable = problem("Billing cannot answer now (retry after Retry-After).");
const caseIdParameter = { name: "caseId", in: "path", required: true, description: "The after-sales case whose carrier claim was settled.", schema: { type: "string" } };

/** Money carriers owe on settled claims (ADR 017, second carrier addendum), asked of billing. */
export function carrierRecoveryPaths() {
  const record = permissions["record-carrier-receipt"].who;
  const reverse = permissions["reverse-carrier-receipt"].who;
  const list = permissions["list-carrier-recoveries"].who;
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
});
