import { permissions } from "../../domain/permissions.ts";
import { body, common, forbidden, jsonSchemaOf, ok, problem, queryParametersOf } from "./openapi-parts.ts";
import { ListTokenRevocationsQuerySchema, TokenRevocationListSchema, TokenRevocationRequestSchema, TokenRevocationViewSchema } from "./token-revocation-schemas.ts";

/** Request example of withdrawing tokens. */
export const tokenRevocationExample = { subject: "staff:s-7", reason: "left the chain on 2026-12-07" };

const takesEffect =
  "Every token of the subject issued up to now is refused from then on (401 caller.token-revoked), on this intake at once and on every other within " +
  "INTAKE_TOKEN_REVOCATIONS_REFRESH_MS (2 s by default); a token issued from the next whole second on is accepted (the person signs in again). " +
  "A marketplace's signed order route does not read tokens: its HMAC secret is rotated instead.";

export function tokenRevocationPaths() {
  return {
    "/v1/token-revocations": {
      post: {
        operationId: "revokeTokens",
        summary: "Withdraw a caller's tokens before they expire",
        description:
          `${takesEffect} Who: anyone of the staff their own tokens (sign out everywhere); the store manager their stores' staff's ` +
          "(a manager held to stores: staff dispatch places in one of them); customers' and platforms' a store manager or an auditor working chain-wide. " +
          `The permission table's row: ${permissions["revoke-tokens"].who}.`,
        parameters: common,
        requestBody: body("TokenRevocationRequest", tokenRevocationExample),
        responses: {
          "201": ok("Withdrawn; the revocation as the log holds it.", "TokenRevocation"),
          "400": problem("No reason, or a subject that names no one a token could (staff:<id>, customer:<id>, platform:<name>)."),
          "401": problem("The caller's own token is refused (caller.token-revoked among the reasons)."),
          "403": forbidden("allowed to withdraw this subject's tokens (caller.not-permitted), or the member of staff is not placed in one of the caller's stores (caller.out-of-store-scope)"),
          "503": problem("Dispatch cannot say where the member of staff works now (a store-scoped manager's request)."),
        },
      },
      get: {
        operationId: "listTokenRevocations",
        summary: "The log of withdrawn tokens, newest first, a page at a time",
        description:
          "Of one subject, or of all for those working chain-wide; a store manager or auditor held to stores names one subject, themself or staff of their stores. " +
          `Who: ${permissions["list-token-revocations"].who}.`,
        parameters: [...queryParametersOf(ListTokenRevocationsQuerySchema), ...common],
        responses: {
          "200": ok("A page of revocations; nextBefore when there are more.", "TokenRevocationList"),
          "400": problem("Wrong query."),
          "403": forbidden(permissions["list-token-revocations"].who),
        },
      },
    },
  };
}

export function tokenRevocationSchemas() {
  return {
    TokenRevocationRequest: jsonSchemaOf(TokenRevocationRequestSchema, "input"),
    TokenRevocation: jsonSchemaOf(TokenRevocationViewSchema, "output"),
    TokenRevocationList: jsonSchemaOf(TokenRevocationListSchema, "output"),
  };
}
