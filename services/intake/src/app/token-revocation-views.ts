import type pg from "pg";
import type { Actor } from "@oms/contracts";
import { ForbiddenError } from "@oms/errors";
import { firstIssueAfter } from "@oms/identity";
import type { TokenRevocationRecord } from "../adapters/pg/token-revocation-repository.ts";
import type { ResourceStores } from "./resource-stores.ts";
import type { TokenRevocationList } from "./token-revocation-list.ts";

/** What withdrawing tokens and reading the log need. */
export interface TokenRevocationDeps {
  pool: pg.Pool;
  /** The list this process holds callers to: a revocation written here holds here at once. */
  revocations: Pick<TokenRevocationList, "applyWritten">;
  /** Where a member of staff works (dispatch's GetStaff), as the store scope asks it. */
  resourceStores: ResourceStores;
}

/** A revocation as the API answers it. */
export interface TokenRevocationView {
  revocationId: string;
  subject: string;
  /** Tokens of the subject issued up to this moment are refused. */
  notBefore: string;
  /** The first moment a token may be issued at and be accepted: `iat` counts whole seconds, so the second after. */
  tokensAcceptedIfIssuedFrom: string;
  revokedBy: Actor;
  reason: string;
  correlationId: string;
  recordedAt: string;
}

export function tokenRevocationViewOf(record: TokenRevocationRecord): TokenRevocationView {
  return {
    revocationId: record.revocationId,
    subject: record.subject,
    notBefore: record.notBefore.toISOString(),
    tokensAcceptedIfIssuedFrom: new Date(firstIssueAfter(record.notBefore.getTime())).toISOString(),
    revokedBy: record.revokedBy,
    reason: record.reason,
    correlationId: record.correlationId,
    recordedAt: record.recordedAt.toISOString(),
  };
}

/**
 * Refuses a store-scoped caller a member of staff not placed in one of their stores: dispatch
 * does not know them (head office, someone never set up), or they work elsewhere.
 */
export async function assertStaffOfStores(deps: TokenRevocationDeps, staffId: string, stores: ReadonlySet<string>, correlationId: string): Promise<void> {
  const inScope = (storeId: string) => stores.has(storeId);
  const placed = await deps.resourceStores("staffId", staffId, inScope, correlationId);
  if (placed === undefined || !placed.some(inScope)) {
    throw new ForbiddenError("caller.out-of-store-scope", `staff ${staffId} is not placed in one of your stores (you work at ${[...stores].join(", ")})`);
  }
}
