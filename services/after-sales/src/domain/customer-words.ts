/**
 * A customer's own words — a case's description, a satisfaction survey's comment — as
 * after-sales holds them (ADR 017, sealing addendum). People write their name, phone and
 * address into them, so they are kept sealed; the domain only ever sees them in the clear as
 * they were just asked, or opened by the app to be compared. Pure.
 */
export type CustomerWords =
  /** As asked in this request, or on a row stored before sealing that the start has not upgraded yet. */
  | { clear: string }
  /** Sealed under after-sales' personal-data keys, bound to what they belong to (app/sealed-words.ts). */
  | { sealed: Uint8Array };

export const wordsInTheClear = (text: string): CustomerWords => ({ clear: text });

/**
 * The text of words the app has opened (or that were just asked). Sealed words reaching a
 * comparison are a wiring mistake, not a difference: comparing them would refuse every retry.
 */
export function clearTextOf(words: CustomerWords, what: string): string {
  if ("clear" in words) return words.clear;
  throw new Error(`${what} is still sealed: the app opens it before the domain compares it`);
}
