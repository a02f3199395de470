import { ValidationError } from "@oms/errors";
import type { StoreScope } from "@oms/identity";
import { phoneDigitsOf, type FlaggedContact } from "./customer-flag.ts";

/**
 * Whose flagged contacts a caller sees (ADR 024, addendum on flags and stores). A flag is the
 * chain's — it holds at every store and every order is matched against it — but the phone or
 * e-mail it names is shown in full only where least privilege allows: to staff working
 * chain-wide, and to staff held to stores when the flag was raised at one of their stores. Of
 * every other flag a scoped caller sees that it exists (kind, reason, who, when) with the
 * contact masked. A flag raised by staff working chain-wide, or before flags recorded a store,
 * has no store: only chain-wide staff see its contact.
 */
export type ContactVisibility = "full" | "masked";

/** How a flag's contact is shown to a caller of this scope; `raisedAtStore` undefined: a chain-level or older flag. */
export function flagContactVisibility(scope: StoreScope, raisedAtStore: string | undefined): ContactVisibility {
  switch (scope.kind) {
    case "chain":
      return "full";
    case "stores":
      return raisedAtStore !== undefined && scope.stores.has(raisedAtStore) ? "full" : "masked";
    default: {
      const unknown: never = scope;
      throw new Error(`unknown store scope ${JSON.stringify(unknown)}`);
    }
  }
}

/**
 * The store a flag is raised at: the flagger's own. Staff held to one store raise it there
 * (naming it is optional); staff held to several name which (`storeId`, one of theirs); staff
 * working chain-wide raise chain-level flags, with no store — naming one is refused rather than
 * ignored, since nobody would then see the contact the flagger meant their store to see.
 */
export function flagRaisedAt(scope: StoreScope, named: string | undefined): string | undefined {
  switch (scope.kind) {
    case "chain":
      if (named !== undefined) throw new ValidationError([{ field: "storeId", message: "staff working chain-wide raise flags for the whole chain: name no store" }]);
      return undefined;
    case "stores": {
      if (named !== undefined) {
        if (!scope.stores.has(named)) throw new ValidationError([{ field: "storeId", message: "is not one of your stores" }]);
        return named;
      }
      const [only, ...others] = [...scope.stores];
      if (only === undefined || others.length > 0) throw new ValidationError([{ field: "storeId", message: "is required: name the store of yours the flag is raised at" }]);
      return only;
    }
    default: {
      const unknown: never = scope;
      throw new Error(`unknown store scope ${JSON.stringify(unknown)}`);
    }
  }
}

// A fixed run of stars: the masked phone does not betray how long the number is.
const phoneMask = "*******";

/**
 * A contact masked for a caller who may know the flag exists but not whom it names: a phone as
 * its last four digits (enough to tell two flags apart on a call), an e-mail as its domain.
 */
export function maskedFlagContact(contact: FlaggedContact): FlaggedContact {
  if ("phone" in contact) return { phone: `${phoneMask}${phoneDigitsOf(contact.phone).slice(-4)}` };
  const at = contact.email.lastIndexOf("@");
  return { email: `***@${at >= 0 ? contact.email.slice(at + 1).trim() : ""}` };
}
