import { ValidationError } from "@oms/errors";
import type { StoreScope } from "@oms/identity";
import { withTransaction } from "@oms/postgres";
import { flaggedCustomerRepository, type FlagListPosition } from "../../adapters/pg/flagged-customer-repository.ts";
import { flagContactVisibility, maskedFlagContact } from "../../domain/flag-visibility.ts";
import { customerFlagViewOf, openedFlagContact, type CustomerFlagDeps, type CustomerFlagView } from "../customer-flag-views.ts";
import { actorLabel, type PermittedContext } from "../request-context.ts";

/**
 * The flagged customers, newest flag first, a page at a time; `nextPageToken` continues the list.
 * The phones and e-mails of the page are opened for the reviewer or store manager (they must
 * know whom they flagged) and the showing is logged in the same transaction, as every showing
 * of a customer's contact is (ADR 024): a showing that cannot be logged is not given. A caller
 * held to stores sees in full only the contacts of flags raised at their stores; the others are
 * opened only to be masked (last four digits, the e-mail's domain), which shows no one and is not
 * logged (domain/flag-visibility.ts). Which flags are listed does not depend on the caller.
 */
export async function listFlaggedCustomers(
  deps: Pick<CustomerFlagDeps, "pool" | "contacts">,
  context: PermittedContext<"list-flagged-customers">,
  scope: StoreScope,
  query: { pageSize: number; pageToken?: string | undefined },
): Promise<{ flags: CustomerFlagView[]; nextPageToken?: string | undefined }> {
  const after = query.pageToken === undefined ? undefined : positionOfToken(query.pageToken);
  const { caller } = context;
  const listed = await withTransaction(deps.pool, async (tx) => {
    const page = await flaggedCustomerRepository.list(tx, query.pageSize, after);
    const opened = page.flags.map((flag) => ({
      flag,
      contact: openedFlagContact(deps.contacts, flag),
      masked: flagContactVisibility(scope, flag.raisedAtStore) === "masked",
    }));
    const shown = opened.filter((o) => o.contact !== undefined && !o.masked).map((o) => o.flag.customerKey);
    if (shown.length > 0) {
      await flaggedCustomerRepository.recordDisclosure(tx, { customerKeys: shown, shownTo: actorLabel(caller), role: caller.role, correlationId: context.correlationId });
    }
    const flags = opened.map((o) => customerFlagViewOf(o.flag, o.contact && o.masked ? maskedFlagContact(o.contact) : o.contact, o.masked));
    return { page, flags, shown: shown.length };
  });
  if (listed.shown > 0) context.logger.info({ shown: listed.shown, shownTo: actorLabel(caller) }, "flagged customers' contacts shown");
  const { page } = listed;
  return { flags: listed.flags, nextPageToken: page.more && page.last ? tokenOf(page.last) : undefined };
}

// Opaque to callers: where the last page ended, so rows flagged meanwhile neither repeat nor slip between pages.
// It holds a key, which is a customer id or a digest: no contact reaches a URL.
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
