import type { FastifyInstance } from "fastify";
import { revokeTokens } from "../../app/commands/revoke-tokens.ts";
import { listTokenRevocations } from "../../app/queries/list-token-revocations.ts";
import type { TokenRevocationDeps } from "../../app/token-revocation-views.ts";
import { parseOrRefuse } from "./field-errors-of-zod.ts";
import { permittedContextOf } from "./request-context-of.ts";
import { ListTokenRevocationsQuerySchema, subjectOf, TokenRevocationRequestSchema } from "./token-revocation-schemas.ts";
import { roleFirst } from "./store-scope.ts";

/** Withdrawing callers' tokens before they expire, and the log of it (ADR 022, "Withdrawing tokens"). */
export function registerTokenRevocationRoutes(app: FastifyInstance, deps: TokenRevocationDeps): void {
  app.post("/v1/token-revocations", roleFirst("revoke-tokens"), async (request, reply) => {
    const context = permittedContextOf(request, "revoke-tokens");
    const body = parseOrRefuse(TokenRevocationRequestSchema, request.body);
    return reply.code(201).send(await revokeTokens(deps, context, request.storeScope, { subject: subjectOf(body.subject), reason: body.reason }));
  });

  app.get("/v1/token-revocations", roleFirst("list-token-revocations"), async (request) => {
    const context = permittedContextOf(request, "list-token-revocations");
    const query = parseOrRefuse(ListTokenRevocationsQuerySchema, request.query, "query");
    return listTokenRevocations(deps, context, request.storeScope, {
      subject: query.subject === undefined ? undefined : subjectOf(query.subject),
      pageSize: query.pageSize ?? 50,
      before: query.before,
    });
  });
}
