import { deskReasonsFromEnv, keyRingFromEnv, openText, sealText, Sealer, textToShow, type DeskReasons } from "@oms/sealing";
import type { CustomerWords } from "../domain/customer-words.ts";

export const PERSONAL_DATA_KEYS_VARIABLE = "AFTERSALES_PERSONAL_DATA_KEYS";

/** A case's description sealed for one case does not open as another's. */
const boundToCase = (caseId: string) => `after-sales-case:${caseId}`;
/** A visit rejection's reason sealed for one case's round does not open as another's, nor as another round's. */
const boundToVisitRejection = (caseId: string, round: number) => `after-sales-visit-rejection:${caseId}:${round}`;
/** A survey's comment sealed for one order's satisfaction does not open as another's. */
const boundToSatisfaction = (orderId: string) => `after-sales-satisfaction:${orderId}`;

/**
 * The customer's own words in after-sales — what they say is wrong with a case, what they add
 * to a satisfaction score — may name them, their phone or their address (DOMAIN.md,
 * Information security: personal data encrypted at rest; ADR 017's sealing addendum).
 * After-sales seals them under AFTERSALES_PERSONAL_DATA_KEYS, at rest and on its topic, and
 * opens them only to show a case (or a survey answer) to whose work it is and to compare a retry.
 * With them, the desk's reason for calling a return's goods off, which the warehouse sealed under
 * its own ring (ADR 024, twenty-fourth-session addendum): opened with that ring, held for it alone.
 */
export class SealedWords {
  readonly #sealer: Sealer;
  readonly #reasons: DeskReasons;

  constructor(sealer: Sealer, reasons: DeskReasons) {
    this.#sealer = sealer;
    this.#reasons = reasons;
  }

  get reasonsKeyId(): string {
    return this.#reasons.keyId;
  }

  /** The goods' call-off reason to show: opened when sealed, as it is from before, empty when no held key opens it. */
  shownCallOffReasonOf(caseId: string, reason: CustomerWords): string {
    return this.#reasons.toShow("return-call-off", caseId, reason);
  }

  /** An old row's call-off reason sealed as the warehouse seals one now, so both read alike. */
  sealCallOffReason(caseId: string, reason: string): Buffer {
    return this.#reasons.seal("return-call-off", caseId, reason);
  }

  get keyId(): string {
    return this.#sealer.currentKeyId;
  }

  sealDescription(caseId: string, text: string): Buffer {
    return sealText(this.#sealer, text, boundToCase(caseId));
  }

  /** The case's description as stored: opened when sealed; an old row not yet upgraded holds it in the clear. */
  descriptionOf(caseId: string, words: CustomerWords): string {
    return openText(this.#sealer, words, boundToCase(caseId));
  }

  /** The description to show: empty when no key of this process opens it (a key removed too early), so the case still reads. */
  shownDescriptionOf(caseId: string, words: CustomerWords): string {
    return textToShow(this.#sealer, words, boundToCase(caseId));
  }

  /** The customer's reason for rejecting a visit's report, bound to the case and the round the rejection opens. */
  sealVisitRejectionReason(caseId: string, round: number, text: string): Buffer {
    return sealText(this.#sealer, text, boundToVisitRejection(caseId, round));
  }

  /** A rejection's reason as stored, opened to compare a retry. */
  visitRejectionReasonOf(caseId: string, round: number, words: CustomerWords): string {
    return openText(this.#sealer, words, boundToVisitRejection(caseId, round));
  }

  /** A rejection's reason to show: empty when no key of this process opens it, as a description. */
  shownVisitRejectionReasonOf(caseId: string, round: number, words: CustomerWords): string {
    return textToShow(this.#sealer, words, boundToVisitRejection(caseId, round));
  }

  sealComment(orderId: string, text: string): Buffer {
    return sealText(this.#sealer, text, boundToSatisfaction(orderId));
  }

  /** A satisfaction answer's comment as stored: opened when sealed, as it is on an old row not yet upgraded. */
  commentOf(orderId: string, words: CustomerWords): string {
    return openText(this.#sealer, words, boundToSatisfaction(orderId));
  }
}

/** After-sales' words under the keys in AFTERSALES_PERSONAL_DATA_KEYS (`<keyId>:<base64 32 bytes>`, newest first), or a development key. */
export function sealedWordsFromEnv(env: NodeJS.ProcessEnv): { words: SealedWords; development: boolean; reasonsDevelopment: boolean } {
  const ring = keyRingFromEnv(env, PERSONAL_DATA_KEYS_VARIABLE, "after-sales-personal-data");
  const { reasons, development: reasonsDevelopment } = deskReasonsFromEnv(env);
  return { words: new SealedWords(new Sealer(ring), reasons), development: ring.source === "development", reasonsDevelopment };
}
