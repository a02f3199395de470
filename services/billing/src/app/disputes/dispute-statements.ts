import { keyRingFromEnv, openText, sealText, Sealer, textToShow } from "@oms/sealing";
import type { StoredStatement } from "../../adapters/pg/dispute-repository.ts";

export const PERSONAL_DATA_KEYS_VARIABLE = "BILLING_PERSONAL_DATA_KEYS";

/** A statement sealed for one dispute does not open as another's. */
const boundTo = (disputeId: string) => `settlement-dispute:${disputeId}`;

/**
 * What a customer or the store says is wrong with the money (ADR 026) is their own words and
 * may name them, their bank or their address (DOMAIN.md, Information security: personal data
 * encrypted at rest). Billing keeps it sealed under BILLING_PERSONAL_DATA_KEYS and opens it
 * only to show the dispute or to compare a retried opening; it never leaves billing in an event.
 */
export class DisputeStatements {
  readonly #sealer: Sealer;

  constructor(sealer: Sealer) {
    this.#sealer = sealer;
  }

  get keyId(): string {
    return this.#sealer.currentKeyId;
  }

  seal(disputeId: string, statement: string): Buffer {
    return sealText(this.#sealer, statement, boundTo(disputeId));
  }

  /** The words as stored: opened when sealed; a row stored before sealing and not yet upgraded holds them in the clear. */
  textOf(disputeId: string, stored: StoredStatement): string {
    return openText(this.#sealer, stored, boundTo(disputeId));
  }

  /** The words to show: empty when no key of this process opens them (a key removed too early), so the dispute still reads. */
  shownTextOf(disputeId: string, stored: StoredStatement): string {
    return textToShow(this.#sealer, stored, boundTo(disputeId));
  }
}

/** Billing's statements under the keys in BILLING_PERSONAL_DATA_KEYS (`<keyId>:<base64 32 bytes>`, newest first), or a development key. */
export function disputeStatementsFromEnv(env: NodeJS.ProcessEnv): { statements: DisputeStatements; development: boolean } {
  const ring = keyRingFromEnv(env, PERSONAL_DATA_KEYS_VARIABLE, "billing-personal-data");
  return { statements: new DisputeStatements(new Sealer(ring)), development: ring.source === "development" };
}
