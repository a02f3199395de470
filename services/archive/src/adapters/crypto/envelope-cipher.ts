import { createCipheriv, createDecipheriv, createHash, createSecretKey, type KeyObject } from "node:crypto";
import { IllegalStateError } from "@oms/errors";
import { IvSource } from "@oms/sealing";
import { ConfigError } from "@oms/service-kit";

/**
 * Envelopes of OrderReceived and OrderCreated carry the customer's name, phone, e-mail
 * and address; the domain requires personal data encrypted at rest (DOMAIN.md,
 * Information security). So every filed envelope is sealed with AES-256-GCM.
 *
 * Sealed format, version 1: [0x01][12-byte IV][16-byte tag][ciphertext]. The event id is
 * the additional authenticated data, so a sealed envelope cannot be moved to another
 * entry unnoticed.
 */

export const ENCRYPTION_KEY_VARIABLE = "ARCHIVE_ENCRYPTION_KEY";

const FORMAT_V1 = 0x01;
const KEY_BYTES = 32;
const IV_BYTES = 12;
const TAG_BYTES = 16;
const HEADER_BYTES = 1 + IV_BYTES + TAG_BYTES;
const ALGORITHM = "aes-256-gcm";

export interface ArchiveKey {
  key: Buffer;
  /** A fingerprint stored with every entry, so a later keyring knows which key opens it. Reveals nothing of the key. */
  keyId: string;
  /** "development": derived from a public constant, because no key was configured. */
  source: "configured" | "development";
}

/** The archive's key from `ARCHIVE_ENCRYPTION_KEY` (base64 of 32 bytes), or a development key when it is not set. */
export function archiveKeyFromEnv(env: NodeJS.ProcessEnv): ArchiveKey {
  const raw = env[ENCRYPTION_KEY_VARIABLE]?.trim();
  if (!raw) {
    // Anyone can derive this key: it only keeps development data from being plain text.
    return withKeyId(createHash("sha256").update("oms-archive/development-key/v1").digest(), "development");
  }
  const key = Buffer.from(raw, "base64");
  // Buffer.from ignores characters that are not base64; re-encoding catches such input.
  if (key.length !== KEY_BYTES || key.toString("base64").replace(/=+$/, "") !== raw.replace(/=+$/, "")) {
    // The message names the variable, never its value.
    throw new ConfigError(`${ENCRYPTION_KEY_VARIABLE} must be ${KEY_BYTES} bytes encoded in base64 (e.g. \`openssl rand -base64 32\`)`);
  }
  return withKeyId(key, "configured");
}

function withKeyId(key: Buffer, source: ArchiveKey["source"]): ArchiveKey {
  const keyId = createHash("sha256").update("oms-archive/key-id/v1").update(key).digest("hex").slice(0, 16);
  return { key, keyId, source };
}

/** Seals and opens filed envelopes with one key. Rotation adds a keyring keyed by `keyId`. */
export class EnvelopeCipher {
  readonly keyId: string;
  // Imported once: given raw bytes, every createCipheriv imports the key again (7–8 % of
  // archive's CPU under load, docs/performance-log.md).
  readonly #key: KeyObject;
  readonly #ivs = new IvSource();

  constructor(archiveKey: ArchiveKey) {
    if (archiveKey.key.length !== KEY_BYTES) throw new ConfigError(`archive key must be ${KEY_BYTES} bytes`);
    this.#key = createSecretKey(archiveKey.key);
    this.keyId = archiveKey.keyId;
  }

  seal(plaintext: Uint8Array, eventId: string): Buffer {
    const iv = this.#ivs.take();
    const cipher = createCipheriv(ALGORITHM, this.#key, iv, { authTagLength: TAG_BYTES });
    cipher.setAAD(Buffer.from(eventId, "utf8"));
    const ciphertext = Buffer.concat([cipher.update(plaintext), cipher.final()]);
    return Buffer.concat([Buffer.from([FORMAT_V1]), iv, cipher.getAuthTag(), ciphertext]);
  }

  /** The envelope bytes as filed. Fails if they were sealed under another key or changed since. */
  open(sealed: Uint8Array, { eventId, keyId }: { eventId: string; keyId: string }): Buffer {
    if (keyId !== this.keyId) {
      throw new IllegalStateError("archive.unknown-key", `event ${eventId} was sealed under key ${keyId}, which this process does not hold`);
    }
    const bytes = Buffer.from(sealed);
    if (bytes.length < HEADER_BYTES || bytes[0] !== FORMAT_V1) {
      throw new IllegalStateError("archive.unreadable-envelope", `event ${eventId}: sealed envelope has an unknown format`);
    }
    const iv = bytes.subarray(1, 1 + IV_BYTES);
    const tag = bytes.subarray(1 + IV_BYTES, HEADER_BYTES);
    const decipher = createDecipheriv(ALGORITHM, this.#key, iv, { authTagLength: TAG_BYTES });
    decipher.setAAD(Buffer.from(eventId, "utf8"));
    decipher.setAuthTag(tag);
    try {
      return Buffer.concat([decipher.update(bytes.subarray(HEADER_BYTES)), decipher.final()]);
    } catch (error) {
      throw new IllegalStateError("archive.envelope-tampered", `event ${eventId}: sealed envelope fails authentication`, { cause: error });
    }
  }
}
