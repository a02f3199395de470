import { randomBytes } from "node:crypto";
import { describe, expect, it } from "vitest";
import { IllegalStateError } from "@oms/errors";
import { ConfigError } from "@oms/service-kit";
import { IvSource } from "@oms/sealing";
import { archiveKeyFromEnv, EnvelopeCipher } from "./envelope-cipher.ts";

const configuredKey = () => archiveKeyFromEnv({ ARCHIVE_ENCRYPTION_KEY: randomBytes(32).toString("base64") });
const plaintext = Buffer.from("customer Wang Xiaoming, +86 138 0013 8000, 88 Nanjing Road", "utf8");

describe("envelope cipher", () => {
  it("seals so that the stored bytes are not the plaintext, and opens them back", () => {
    const cipher = new EnvelopeCipher(configuredKey());
    const sealed = cipher.seal(plaintext, "e-1");
    expect(sealed.includes(plaintext)).toBe(false);
    expect(sealed.includes(Buffer.from("Wang Xiaoming"))).toBe(false);
    expect(cipher.open(sealed, { eventId: "e-1", keyId: cipher.keyId })).toEqual(plaintext);
  });

  it("holds its own copy of the key, imported once, not the caller's bytes", () => {
    const key = configuredKey();
    const cipher = new EnvelopeCipher(key);
    const sealed = cipher.seal(plaintext, "e-1");
    key.key.fill(0);
    expect(cipher.open(cipher.seal(plaintext, "e-2"), { eventId: "e-2", keyId: cipher.keyId })).toEqual(plaintext);
    expect(cipher.open(sealed, { eventId: "e-1", keyId: cipher.keyId })).toEqual(plaintext);
  });

  it("seals the same bytes differently each time (fresh IV)", () => {
    const cipher = new EnvelopeCipher(configuredKey());
    expect(cipher.seal(plaintext, "e-1").equals(cipher.seal(plaintext, "e-1"))).toBe(false);
  });

  it("gives every seal its own IV, across the blocks its IVs are cut from, and opens each", () => {
    const cipher = new EnvelopeCipher(configuredKey());
    const sealed = Array.from({ length: 1_200 }, (_, i) => cipher.seal(plaintext, `e-${i}`));
    const ivs = new Set(sealed.map((bytes) => bytes.subarray(1, 13).toString("hex")));
    expect(ivs.size).toBe(sealed.length);
    sealed.forEach((bytes, i) => expect(cipher.open(bytes, { eventId: `e-${i}`, keyId: cipher.keyId })).toEqual(plaintext));
  });

  it("hands out IVs that stay as they were once the block they came from is spent", () => {
    const source = new IvSource();
    const first = source.take();
    const copy = Buffer.from(first);
    for (let i = 0; i < 1_100; i++) source.take();
    expect(first).toEqual(copy);
    expect(first).toHaveLength(12);
  });

  it("refuses a sealed envelope that was changed", () => {
    const cipher = new EnvelopeCipher(configuredKey());
    const sealed = cipher.seal(plaintext, "e-1");
    sealed[sealed.length - 1]! ^= 0x01;
    expect(() => cipher.open(sealed, { eventId: "e-1", keyId: cipher.keyId })).toThrow(IllegalStateError);
  });

  it("refuses a sealed envelope moved to another entry", () => {
    const cipher = new EnvelopeCipher(configuredKey());
    const sealed = cipher.seal(plaintext, "e-1");
    expect(() => cipher.open(sealed, { eventId: "e-2", keyId: cipher.keyId })).toThrow(/fails authentication/);
  });

  it("refuses to open what another key sealed", () => {
    const sealer = new EnvelopeCipher(configuredKey());
    const other = new EnvelopeCipher(configuredKey());
    const sealed = sealer.seal(plaintext, "e-1");
    expect(() => other.open(sealed, { eventId: "e-1", keyId: sealer.keyId })).toThrow(/does not hold/);
  });
});

describe("archive key", () => {
  it("takes a configured base64 key of 32 bytes", () => {
    const raw = randomBytes(32);
    const key = archiveKeyFromEnv({ ARCHIVE_ENCRYPTION_KEY: raw.toString("base64") });
    expect(key).toMatchObject({ source: "configured", key: raw });
    expect(key.keyId).toMatch(/^[0-9a-f]{16}$/);
  });

  it("derives a stable development key when none is configured", () => {
    const first = archiveKeyFromEnv({});
    expect(first.source).toBe("development");
    expect(first.key).toHaveLength(32);
    expect(archiveKeyFromEnv({ ARCHIVE_ENCRYPTION_KEY: "" }).keyId).toBe(first.keyId);
  });

  it("refuses a key of the wrong length or not in base64, without echoing it", () => {
    const short = randomBytes(16).toString("base64");
    expect(() => archiveKeyFromEnv({ ARCHIVE_ENCRYPTION_KEY: short })).toThrow(ConfigError);
    expect(() => archiveKeyFromEnv({ ARCHIVE_ENCRYPTION_KEY: short })).not.toThrow(short);
    expect(() => archiveKeyFromEnv({ ARCHIVE_ENCRYPTION_KEY: `${"!".repeat(4)}${randomBytes(32).toString("base64")}` })).toThrow(ConfigError);
  });
});
