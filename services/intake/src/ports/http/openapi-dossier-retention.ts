import { permissions, type GatewayAction } from "../../domain/permissions.ts";
import {
  DossierDisposalListSchema,
  DossierDisposalOutcomeSchema,
  DossierDisposalSchema,
  DossierDisposalsQuerySchema,
  DossierHoldReleaseSchema,
  DossierHoldSchema,
  DossierRetentionListSchema,
  DossierRetentionQuerySchema,
  DossierRetentionSchema,
} from "./dossier-retention-schemas.ts";
import { body, common, forbidden, jsonSchemaOf, ok, orderParameters, problem, queryParametersOf, storeParameters } from "./openapi-parts.ts";

/** Request examples of the retention operations. */
export const dossierRetentionExamples = {
  hold: { matter: "Tax audit 2026-117", reason: "The audit covers this order's settlement" },
  release: { matter: "Tax audit 2026-117", reason: "Closed without findings" },
  disposal: { orderIds: ["6f1c2a9e-0d4b-4c1e-9a57-3b8f0e2d7c41"], reason: "Retention review 2056-Q1: dossiers past their 30 years" },
};

const unavailable = problem("The archive cannot answer now (retry after Retry-After).");
const who = (action: GatewayAction) => permissions[action].who;
const rule =
  "An order's dossier is kept ARCHIVE_RETENTION_YEARS (30 unless the archive is set otherwise) from the order's end (closed, cancelled, rejected), " +
  "or from a later entry (an after-sales case, a dispute). A dossier on legal hold is never disposed of. Disposal is an auditor's decision (ADR 029).";

/** How either list is read whole (ADR 029, twenty-ninth session's addendum): `order` holds across pages; `meanwhile` says where a row recorded while reading goes. */
const paging = (order: string, meanwhile: string) =>
  `Read a page at a time: pageSize (1–500, 100 when absent), then the answer's nextPageToken as pageToken until it is absent; the order ${order} holds across pages, ` +
  `so no row repeats or is skipped; ${meanwhile}. limit is pageSize's name before paging, kept for callers built then.`;
const pageRefusals = "a pageSize or limit outside 1–500, both pageSize and limit, or a pageToken this list did not give";

/** A hold or its release on an order's dossier. */
const holdStep = (operationId: string, summary: string, detail: string, schemaName: string, example: unknown, refused: string) => ({
  post: {
    operationId,
    summary,
    description: `${rule} ${detail} Recorded for good: who, when, why. The archive's ${operationId === "holdDossier" ? "HoldDossier" : "ReleaseHold"}. Who: ${who("hold-dossier")} (a store-scoped one, for their stores' orders).`,
    parameters: orderParameters,
    requestBody: body(schemaName, example),
    responses: {
      "200": ok("The dossier's retention after the change.", "DossierRetention"),
      "400": problem("No reason, or one over 500 characters; a matter empty or over 100 characters."),
      "403": forbidden(who("hold-dossier")),
      "404": problem("No dossier for this order (dossier.not-found), or it was disposed of (dossier.disposed, naming the disposal)."),
      "409": problem(refused),
      "503": unavailable,
    },
  },
});

/** The archive's retention: what is due, legal holds, disposals and their records. */
export function dossierRetentionPaths() {
  return {
    "/v1/stores/{storeId}/dossier-retention": {
      get: {
        operationId: "listDossierRetention",
        summary: "A store's ended dossiers with their retain_until and holds, or only those due, a page at a time",
        description:
          `${rule} Orders not yet ended have no retainUntil and are not listed. ${paging("(last entry, then orderId)", "a dossier ending meanwhile comes after those already read")} ` +
          `With due=true a page may hold fewer than pageSize, even none, and still go on. The archive's ListRetention. Who: ${who("list-dossier-retention")}.`,
        parameters: [storeParameters[0], ...queryParametersOf(DossierRetentionQuerySchema), ...common],
        responses: {
          "200": ok("A page of the store's ended dossiers, the soonest due first, and nextPageToken when there are more.", "DossierRetentionList"),
          "400": problem(`due not true or false, ${pageRefusals}; the field named.`),
          "403": forbidden(`${who("list-dossier-retention")}, of this store`),
          "503": unavailable,
        },
      },
    },
    "/v1/orders/{orderId}/dossier-hold": holdStep(
      "holdDossier",
      "Put an order's dossier on legal hold for a matter",
      "While any matter holds it, the dossier is never disposed of, whatever its retainUntil. Several matters (two court cases, a tax audit) may hold it at once, each released on its own.",
      "DossierHold",
      dossierRetentionExamples.hold,
      "This matter (or, naming none, a hold that named none) already holds the dossier (archive.dossier-already-held).",
    ),
    "/v1/orders/{orderId}/dossier-hold/release": holdStep(
      "releaseDossierHold",
      "Release one matter's legal hold on an order's dossier",
      "Lifts the hold of the matter named (naming none: the hold that named none); the dossier stays held while another matter holds it, and once none does its retention runs as before: past retainUntil it is due.",
      "DossierHoldRelease",
      dossierRetentionExamples.release,
      "The dossier is not held (archive.dossier-not-held), or not for the matter named (archive.hold-matter-not-open, naming the matters that hold it).",
    ),
    "/v1/dossier-disposals": {
      post: {
        operationId: "disposeDossiers",
        summary: "Dispose of named dossiers past their retention",
        description:
          `${rule} Each named dossier is checked again under its lock: ended, past retainUntil, not held. Its sealed entries are deleted and a record stays for good ` +
          "(first and last event, entry count, a SHA-256 digest of the sealed entries, who decided, when, why, this request's id). Each order is answered on its own: " +
          `disposed (now, or before: archive.dossier-already-disposed) or refused with why; a refused one is left as it was. The archive's DisposeDossiers. Who: ${who("dispose-dossiers")}.`,
        parameters: common,
        requestBody: body("DossierDisposal", dossierRetentionExamples.disposal),
        responses: {
          "200": ok("Each named order, disposed of or refused.", "DossierDisposalOutcome"),
          "400": problem("Wrong fields, one message each: no orders, over 500, an order named twice, no reason."),
          "403": forbidden(`${who("dispose-dossiers")} (caller.chain-wide-only for a store-scoped one)`),
          "503": unavailable,
        },
      },
      get: {
        operationId: "listDossierDisposals",
        summary: "A store's disposal records, a page at a time",
        description:
          `What was disposed of, with the digest that proves it, who decided, when and why; newest first. ${paging("(disposedAt descending, then disposalId)", "a disposal decided meanwhile is the newest, first on the next reading")} ` +
          `The archive's ListDisposals. Who: ${who("list-dossier-disposals")}.`,
        parameters: [...queryParametersOf(DossierDisposalsQuerySchema), ...common],
        responses: {
          "200": ok("A page of the store's disposal records, newest first, and nextPageToken when there are more.", "DossierDisposalList"),
          "400": problem(`No storeId, ${pageRefusals}; the field named.`),
          "403": forbidden(`${who("list-dossier-disposals")}, of this store`),
          "503": unavailable,
        },
      },
    },
  };
}

export const dossierRetentionSchemas = () => ({
  DossierHold: jsonSchemaOf(DossierHoldSchema, "input"),
  DossierHoldRelease: jsonSchemaOf(DossierHoldReleaseSchema, "input"),
  DossierDisposal: jsonSchemaOf(DossierDisposalSchema, "input"),
  DossierRetention: jsonSchemaOf(DossierRetentionSchema, "output"),
  DossierRetentionList: jsonSchemaOf(DossierRetentionListSchema, "output"),
  DossierDisposalOutcome: jsonSchemaOf(DossierDisposalOutcomeSchema, "output"),
  DossierDisposalList: jsonSchemaOf(DossierDisposalListSchema, "output"),
});
