import { permissions } from "../../domain/permissions.ts";
import { CarrierReceiptRequestSchema, CarrierRecoveriesQuerySchema, CarrierRecoveryListSchema, CarrierRecoverySchema } from "./carrier-recovery-schemas.ts";
import { body, common, forbidden, jsonSchemaOf, ok, problem, queryParametersOf, storeParameters } from "./openapi-parts.ts";

const unavailable = problem("Billing cannot answer now (retry after Retry-After).");
const caseIdParameter = { name: "caseId", in: "path", required: true, description: "The after-sales case whose carrier claim was settled.", schema: { type: "string" } };

/** Money carriers owe on settled claims (ADR 017, second carrier addendum), asked of billing. */
export function carrierRecoveryPaths() {
  const record = permissions["record-carrier-receipt"].who;
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
            "More than the carrier still owes (carrier-recovery.more-than-owed), or the reference already books another amount or another case's payment (carrier-recovery.reference-reused).",
          ),
          "503": unavailable,
        },
      },
    },
    "/v1/stores/{storeId}/carrier-recoveries": {
      get: {
        operationId: "listCarrierRecoveries",
        summary: "What carriers owe the store on settled claims, the oldest settlement first",
        description:
          "Billing's ListCarrierRecoveries: each recovery with its case, order, carrier and reference, what is due, received and outstanding, " +
          `and every receipt. outstandingOnly=true keeps only those not paid in full: what to chase. Who: ${list}; a store-scoped caller only for their stores.`,
        parameters: [storeParameters[0], ...queryParametersOf(CarrierRecoveriesQuerySchema), ...common],
        responses: {
          "200": ok("The recoveries, at most limit (100 when absent).", "CarrierRecoveryList"),
          "400": problem("outstandingOnly not true or false, or a limit outside 1–500; the field named."),
          "403": forbidden(`${list} (another store's is refused: caller.out-of-store-scope)`),
          "503": unavailable,
        },
      },
    },
  };
}

export const carrierRecoverySchemas = () => ({
  CarrierReceipt: jsonSchemaOf(CarrierReceiptRequestSchema, "input"),
  CarrierRecovery: jsonSchemaOf(CarrierRecoverySchema, "output"),
  CarrierRecoveryList: jsonSchemaOf(CarrierRecoveryListSchema, "output"),
});
