import { createHash, createHmac, createSecretKey, type KeyObject } from "node:crypto";
import type { ContactDigestOf, ContactKind } from "../domain/customer-flag.ts";

export const CUSTOMER_MATCHING_KEY_VARIABLE = "INTAKE_CUSTOMER_MATCHING_KEY";

const KEY_BYTES = 32;

/**
 * What a start says when no matching key is set. A phone has only about 10^11 values, so under a
 * key anyone can derive its digest is no better than a plain hash: whoever reads the table, the
 * showings' log or a page token finds the number by trying them all. The warning says so.
 */
export const developmentMatchingWarning =
  `${CUSTOMER_MATCHING_KEY_VARIABLE} is not set: flagged customers' phones and e-mails are matched under a development key anyone can derive, ` +
  "so their digests (in flagged_customers, customer_flag_disclosures and the flag list's page tokens) can be reversed by trying every number: set it in production";

/**
 * How intake matches an order's phone and e-mail against flagged customers without keeping
 * them in the clear (ADR 024, addendum): HMAC-SHA-256 under intake's matching key. A digest
 * of a phone number cannot be reversed without the key (a plain hash of 11 digits could be,
 * by trying them all), and one key for every instance makes the same number one digest.
 */
export interface CustomerMatching {
  digestOf: ContactDigestOf;
  /**
   * A fingerprint of the key, not the key: stored with each digest, so a start under another
   * key finds the flags digested under the old one and digests them again.
   */
  keyCheck: string;
  /** "development": derived from a public constant, because no key was configured. */
  source: "configured" | "development";
}

/** Matching under the key in INTAKE_CUSTOMER_MATCHING_KEY (base64 of 32 bytes), or a development key anyone can derive. Messages name the variable, never the key. */
export function customerMatchingFromEnv(env: NodeJS.ProcessEnv): CustomerMatching {
  const encoded = env[CUSTOMER_MATCHING_KEY_VARIABLE]?.trim();
  if (!encoded) return customerMatchingUnder(createHash("sha256").update("oms-intake/development-key/customer-matching").digest(), "development");
  const key = Buffer.from(encoded, "base64");
  // Buffer.from ignores characters that are not base64; re-encoding catches such input.
  if (key.length !== KEY_BYTES || key.toString("base64").replace(/=+$/, "") !== encoded.replace(/=+$/, "")) {
    throw new Error(`${CUSTOMER_MATCHING_KEY_VARIABLE} must be ${KEY_BYTES} bytes in base64 (e.g. \`openssl rand -base64 32\`)`);
  }
  return customerMatchingUnder(key, "configured");
}

export function customerMatchingUnder(key: Buffer, source: CustomerMatching["source"] = "configured"): CustomerMatching {
  const secret: KeyObject = createSecretKey(key);
  // The kind is part of what is digested, so a phone and an e-mail can never share a digest.
  const digestOf = (kind: ContactKind, normalised: string) => createHmac("sha256", secret).update(`${kind}:${normalised}`, "utf8").digest("hex");
  const keyCheck = createHmac("sha256", secret).update("oms-intake/customer-matching/key-check").digest("hex").slice(0, 16);
  return { digestOf, keyCheck, source };
}
