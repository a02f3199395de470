import type { StoreScope, TokenSubject } from "@oms/identity";
import { tokenSubjectOf } from "@oms/identity";
import { tokenRevocationRepository } from "../../adapters/pg/token-revocation-repository.ts";
import { grantToList } from "../../domain/token-revocation.ts";
import type { PermittedContext } from "../request-context.ts";
import { assertStaffOfStores, tokenRevocationViewOf, type TokenRevocationDeps, type TokenRevocationView } from "../token-revocation-views.ts";

/** The revocation log, newest first, of one subject or (for those working chain-wide) of all, a page at a time. */
export async function listTokenRevocations(
  deps: TokenRevocationDeps,
  context: PermittedContext<"list-token-revocations">,
  scope: StoreScope,
  query: { subject?: TokenSubject | undefined; pageSize: number; before?: string | undefined },
): Promise<{ revocations: TokenRevocationView[]; nextBefore?: string }> {
  const grant = grantToList(context.caller, scope, query.subject);
  if (grant.granted === "if-staff-of" && query.subject) await assertStaffOfStores(deps, query.subject.id, grant.stores, context.correlationId);
  const records = await tokenRevocationRepository.list(deps.pool, {
    subject: query.subject && tokenSubjectOf(query.subject),
    beforeId: query.before,
    limit: query.pageSize + 1,
  });
  const page = records.slice(0, query.pageSize);
  return { revocations: page.map(tokenRevocationViewOf), ...(records.length > query.pageSize ? { nextBefore: page.at(-1)!.revocationId } : {}) };
}
