import { ValidationError } from "@oms/errors";
import { flaggedCustomerRepository, type FlagListPosition } from "../../adapters/pg/platform-repository.ts";
import { customerFlagViewOf, type CustomerFlagDeps, type CustomerFlagView } from "../customer-flag-views.ts";
import type { PermittedContext } from "../request-context.ts";

/** The flagged customers, newest flag first, a page at a time; `nextPageToken` continues the list. */
export async function listFlaggedCustomers(
  deps: Pick<CustomerFlagDeps, "pool">,
  _context: PermittedContext<"list-flagged-customers">,
  query: { pageSize: number; pageToken?: string | undefined },
): Promise<{ flags: CustomerFlagView[]; nextPageToken?: string | undefined }> {
  const after = query.pageToken === undefined ? undefined : positionOfToken(query.pageToken);
  const page = await flaggedCustomerRepository.list(deps.pool, query.pageSize, after);
  return { flags: page.flags.map(customerFlagViewOf), nextPageToken: page.more && page.last ? tokenOf(page.last) : undefined };
}

// Opaque to callers: where the last page ended, so rows flagged meanwhile neither repeat nor slip between pages.
const tokenOf = (position: FlagListPosition) => Buffer.from(JSON.stringify([position.flaggedAt, position.customerKey])).toString("base64url");

function positionOfToken(token: string): FlagListPosition {
  try {
    const [flaggedAt, customerKey] = JSON.parse(Buffer.from(token, "base64url").toString("utf8")) as unknown[];
    if (typeof flaggedAt === "string" && !Number.isNaN(Date.parse(flaggedAt)) && typeof customerKey === "string") return { flaggedAt, customerKey };
  } catch {
    // Not a token this API gave: refused below.
  }
  throw new ValidationError([{ field: "pageToken", message: "is not a page token this list gave" }]);
}
