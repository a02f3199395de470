import { keyRingFromEnv } from "./key-ring.ts";
import { Sealer } from "./sealer.ts";
import { sealText, textToShow, type StoredText } from "./stored-text.ts";

/** The warehouse's key ring: it seals the desk's reasons; after-sales holds it too, to open the ones a case shows. */
export const WAREHOUSE_PERSONAL_DATA_KEYS_VARIABLE = "WAREHOUSE_PERSONAL_DATA_KEYS";

/** What a reason belongs to, as the additional data it is sealed with: moved onto another case or step, it does not open. */
export type DeskReasonOf = "return-call-off" | "replacement-call-off" | "replacement-move";

const boundTo = (of: DeskReasonOf, caseId: string) => `warehouse-${of}:${caseId}`;

/**
 * The after-sales desk's free text on the warehouse's steps — why a return or a replacement is
 * called off, why a replacement is sent from another store — may name the customer, their phone
 * or their address (ADR 024, twenty-fourth-session addendum). The warehouse seals it under its
 * ring WAREHOUSE_PERSONAL_DATA_KEYS for its events (ReturnCalledOff, ReplacementCalledOff,
 * ReplacementMoved: `sealed_reason`); after-sales, which shows a return's call-off reason on the
 * case, keeps the bytes as they came and opens them with the same ring. Here, so both bind alike.
 */
export class DeskReasons {
  readonly #sealer: Sealer;

  constructor(sealer: Sealer) {
    this.#sealer = sealer;
  }

  get keyId(): string {
    return this.#sealer.currentKeyId;
  }

  seal(of: DeskReasonOf, caseId: string, reason: string): Buffer {
    return sealText(this.#sealer, reason, boundTo(of, caseId));
  }

  /** The reason to show: opened when sealed, as it is when stored in the clear, empty when no held key opens it. */
  toShow(of: DeskReasonOf, caseId: string, stored: StoredText): string {
    return textToShow(this.#sealer, stored, boundTo(of, caseId));
  }
}

/** The ring in WAREHOUSE_PERSONAL_DATA_KEYS (`<keyId>:<base64 32 bytes>`, newest first), or a development key anyone can derive. */
export function deskReasonsFromEnv(env: NodeJS.ProcessEnv): { reasons: DeskReasons; development: boolean } {
  const ring = keyRingFromEnv(env, WAREHOUSE_PERSONAL_DATA_KEYS_VARIABLE, "warehouse-personal-data");
  return { reasons: new DeskReasons(new Sealer(ring)), development: ring.source === "development" };
}

/** A reason as an event carries it: sealed since the twenty-fourth session, in the clear in events written before. */
export function storedReasonOf(event: { reason: string; sealedReason: Uint8Array }): StoredText {
  return event.sealedReason.length > 0 ? { sealed: event.sealedReason } : { clear: event.reason };
}
