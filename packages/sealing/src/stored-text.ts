import { isDomainError } from "@oms/errors";
import type { Sealer } from "./sealer.ts";

/**
 * Free text a person wrote — a customer's description of a case, a dispute's statement — as a
 * record keeps it: sealed, bound to the record, or (a row stored before sealing that the
 * service's start has not upgraded yet) in the clear.
 */
export type StoredText = { sealed: Uint8Array } | { clear: string };

/** Seals the text (UTF-8) bound to the record it belongs to: moved onto another record, it does not open. */
export function sealText(sealer: Sealer, text: string, boundTo: string): Buffer {
  return sealer.seal(Buffer.from(text, "utf8"), boundTo);
}

/** The text as stored: opened when sealed (refused as `Sealer.open` refuses), as it is when in the clear. */
export function openText(sealer: Sealer, stored: StoredText, boundTo: string): string {
  return "sealed" in stored ? sealer.open(stored.sealed, boundTo).toString("utf8") : stored.clear;
}

/**
 * The text to show in a view: as `openText`, but empty when no key of this process opens it (a
 * key removed from the ring too early), so the record itself still reads, lists and answers its
 * steps. Anything else — bytes changed or moved from another record — is not hidden: it fails.
 */
export function textToShow(sealer: Sealer, stored: StoredText, boundTo: string): string {
  try {
    return openText(sealer, stored, boundTo);
  } catch (error) {
    if (isDomainError(error) && error.code === "sealing.unknown-key") return "";
    throw error;
  }
}
