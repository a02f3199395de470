import { createCipheriv, createDecipheriv } from "node:crypto";
import { IllegalStateError } from "@oms/errors";
import { IvSource } from "./iv-source.ts";
import type { SealingKeyRing } from "./key-ring.ts";

const FORMAT_V1 = 0x01;
const IV_BYTES = 12;
const TAG_BYTES = 16;
const ALGORITHM = "aes-256-gcm";

/**
 * Seals with AES-256-GCM under the ring's current key and opens under whichever key sealed.
 * Format, version 1: [0x01][key id length][key id][12-byte IV][16-byte tag][ciphertext].
 * `boundTo` (e.g. the order id) is the additional authenticated data: sealed bytes moved
 * to another record do not open there.
 */
export class Sealer {
  readonly #ring: SealingKeyRing;
  readonly #ivs = new IvSource();
  readonly #currentId: Buffer;

  constructor(ring: SealingKeyRing) {
    this.#ring = ring;
    this.#currentId = Buffer.from(ring.current, "utf8");
  }

  get currentKeyId(): string {
    return this.#ring.current;
  }

  seal(plaintext: Uint8Array, boundTo: string): Buffer {
    const iv = this.#ivs.take();
    const cipher = createCipheriv(ALGORITHM, this.#ring.keys.get(this.#ring.current)!, iv, { authTagLength: TAG_BYTES });
    cipher.setAAD(Buffer.from(boundTo, "utf8"));
    const ciphertext = Buffer.concat([cipher.update(plaintext), cipher.final()]);
    return Buffer.concat([Buffer.from([FORMAT_V1, this.#currentId.length]), this.#currentId, iv, cipher.getAuthTag(), ciphertext]);
  }

  /** The key id sealed bytes name, or undefined when they are not in this format. */
  keyIdOf(sealed: Uint8Array): string | undefined {
    if (sealed.length < 2 || sealed[0] !== FORMAT_V1 || sealed.length < 2 + sealed[1]! + IV_BYTES + TAG_BYTES) return undefined;
    return Buffer.from(sealed.subarray(2, 2 + sealed[1]!)).toString("utf8");
  }

  open(sealed: Uint8Array, boundTo: string): Buffer {
    const keyId = this.keyIdOf(sealed);
    if (keyId === undefined) throw new IllegalStateError("sealing.unknown-format", `the sealed data of ${boundTo} is not in a format this process reads`);
    const key = this.#ring.keys.get(keyId);
    if (key === undefined) throw new IllegalStateError("sealing.unknown-key", `the data of ${boundTo} was sealed under key ${keyId}, which this process does not hold`);
    const bytes = Buffer.from(sealed);
    const ivAt = 2 + bytes[1]!;
    const decipher = createDecipheriv(ALGORITHM, key, bytes.subarray(ivAt, ivAt + IV_BYTES), { authTagLength: TAG_BYTES });
    decipher.setAAD(Buffer.from(boundTo, "utf8"));
    decipher.setAuthTag(bytes.subarray(ivAt + IV_BYTES, ivAt + IV_BYTES + TAG_BYTES));
    try {
      return Buffer.concat([decipher.update(bytes.subarray(ivAt + IV_BYTES + TAG_BYTES)), decipher.final()]);
    } catch (error) {
      throw new IllegalStateError("sealing.tampered", `the sealed data of ${boundTo} fails authentication (changed, or moved from another record)`, { cause: error });
    }
  }
}
