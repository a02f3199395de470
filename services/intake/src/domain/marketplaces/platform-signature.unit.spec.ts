import { describe, expect, it } from "vitest";
import { UnauthenticatedError } from "@oms/errors";
import { platformSignature, verifyPlatformSignature } from "./platform-signature.ts";

const secret = "tmall-test-secret";
const body = Buffer.from('{"tid":"T-1"}');
const now = Date.UTC(2026, 4, 1, 9, 0, 0);
const ts = String(now / 1000);

const refusal = (run: () => void) => {
  try {
    run();
    return undefined;
  } catch (error) {
    if (!(error instanceof UnauthenticatedError)) throw error;
    return error.code;
  }
};

describe("platform signatures", () => {
  it("accepts the HMAC-SHA256 of `${timestamp}.${body}` under the platform's secret, in upper or lower case", () => {
    const signature = platformSignature(secret, ts, body);
    expect(signature).toMatch(/^[0-9a-f]{64}$/);
    expect(refusal(() => verifyPlatformSignature("tmall", secret, { timestamp: ts, signature, rawBody: body }, now))).toBeUndefined();
    expect(refusal(() => verifyPlatformSignature("tmall", secret, { timestamp: ts, signature: signature.toUpperCase(), rawBody: body }, now + 299_000))).toBeUndefined();
  });

  it("refuses another secret, another body, another timestamp, and a missing or malformed signature", () => {
    const signature = platformSignature(secret, ts, body);
    const verify = (over: Partial<{ secret: string; timestamp: string; signature: string | undefined; rawBody: Buffer }>) =>
      refusal(() => verifyPlatformSignature("tmall", over.secret ?? secret, { timestamp: ts, signature, rawBody: body, ...over }, now));
    expect(verify({ secret: "other" })).toBe("platform.signature-invalid");
    expect(verify({ rawBody: Buffer.from('{"tid":"T-2"}') })).toBe("platform.signature-invalid");
    expect(verify({ timestamp: String(Number(ts) + 1) })).toBe("platform.signature-invalid");
    expect(verify({ signature: undefined })).toBe("platform.signature-missing");
    expect(verify({ signature: "abc" })).toBe("platform.signature-missing");
  });

  it("refuses a timestamp more than five minutes away (a replay of an old request), and a platform without a secret", () => {
    const stale = String(Number(ts) - 301);
    const signature = platformSignature(secret, stale, body);
    expect(refusal(() => verifyPlatformSignature("tmall", secret, { timestamp: stale, signature, rawBody: body }, now))).toBe("platform.timestamp-stale");
    const future = String(Number(ts) + 301);
    expect(refusal(() => verifyPlatformSignature("tmall", secret, { timestamp: future, signature: platformSignature(secret, future, body), rawBody: body }, now))).toBe(
      "platform.timestamp-stale",
    );
    expect(refusal(() => verifyPlatformSignature("tmall", secret, { timestamp: undefined, signature, rawBody: body }, now))).toBe("platform.timestamp-missing");
    expect(refusal(() => verifyPlatformSignature("tmall", undefined, { timestamp: ts, signature, rawBody: body }, now))).toBe("platform.not-configured");
  });

  it("never puts the secret or the body into its messages", () => {
    try {
      verifyPlatformSignature("tmall", secret, { timestamp: ts, signature: "0".repeat(64), rawBody: body }, now);
    } catch (error) {
      expect(String((error as Error).message)).not.toContain(secret);
      expect(String((error as Error).message)).not.toContain("T-1");
    }
  });
});
