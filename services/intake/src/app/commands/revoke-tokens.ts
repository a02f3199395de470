import type { StoreScope, TokenSubject } from "@oms/identity";
import { tokenSubjectOf } from "@oms/identity";
import { tokenRevocationRepository } from "../../adapters/pg/token-revocation-repository.ts";
import { grantToRevoke } from "../../domain/token-revocation.ts";
import { actorLabel, type PermittedContext } from "../request-context.ts";
import { assertStaffOfStores, tokenRevocationViewOf, type TokenRevocationDeps, type TokenRevocationView } from "../token-revocation-views.ts";

/**
 * Withdraws every token of the subject issued until now (ADR 022, "Withdrawing tokens"): a
 * member of staff who left, whose role changed or whose phone was lost. Written to the
 * append-only log, held to here at once and by every other intake within its refresh. Who
 * may is checked first (a scoped store manager's staff asked of dispatch); a refusal writes
 * nothing. Repeating it is no harm: it only moves the moment on.
 */
export async function revokeTokens(
  deps: TokenRevocationDeps,
  context: PermittedContext<"revoke-tokens">,
  scope: StoreScope,
  input: { subject: TokenSubject; reason: string },
): Promise<TokenRevocationView> {
  const grant = grantToRevoke(context.caller, scope, input.subject);
  if (grant.granted === "if-staff-of") await assertStaffOfStores(deps, input.subject.id, grant.stores, context.correlationId);
  const record = await tokenRevocationRepository.append(deps.pool, {
    subject: tokenSubjectOf(input.subject),
    reason: input.reason,
    revokedBy: context.caller,
    correlationId: context.correlationId,
  });
  deps.revocations.applyWritten({ subject: record.subject, notBeforeMs: record.notBefore.getTime() });
  // The subject's kind only: a customer's id is theirs, and the log holds the rest for those who may read it.
  context.logger.info({ revocationId: record.revocationId, subjectKind: input.subject.kind, revokedBy: actorLabel(context.caller) }, "tokens withdrawn");
  return tokenRevocationViewOf(record);
}
