import { createHmac, timingSafeEqual } from "node:crypto";
import { UnauthenticatedError } from "@oms/errors";

/**
 * How a marketplace proves a request is its own: `X-Platform-Timestamp` (unix seconds) and
 * `X-Platform-Signature` = hex HMAC-SHA256 of `${timestamp}.${rawBody}` under the
 * platform's secret. The timestamp inside the signature bounds replays to the window;
 * within it a replay is harmless (the channel order id deduplicates).
 */
export const signatureWindowSeconds = 5 * 60;

export function platformSignature(secret: string, timestamp: string, rawBody: Buffer | string): string {
  return createHmac("sha256", secret).update(`${timestamp}.`).update(rawBody).digest("hex");
}

export interface SignedRequest {
  timestamp: string | undefined;
  signature: string | undefined;
  rawBody: Buffer;
}

/** Refuses (401) a request without a fresh timestamp and a signature made with the platform's secret. */
export function verifyPlatformSignature(platform: string, secret: string | undefined, request: SignedRequest, nowMs: number): void {
  if (!secret) throw new UnauthenticatedError("platform.not-configured", `intake has no secret for ${platform}; its orders cannot be authenticated`);
  const { timestamp, signature } = request;
  if (!timestamp || !/^\d{1,12}$/.test(timestamp)) {
    throw new UnauthenticatedError("platform.timestamp-missing", "X-Platform-Timestamp must be the unix time in seconds");
  }
  if (Math.abs(nowMs / 1000 - Number(timestamp)) > signatureWindowSeconds) {
    throw new UnauthenticatedError("platform.timestamp-stale", `X-Platform-Timestamp is more than ${signatureWindowSeconds / 60} minutes away from now`);
  }
  if (!signature || !/^[0-9a-fA-F]{64}$/.test(signature)) {
    throw new UnauthenticatedError("platform.signature-missing", "X-Platform-Signature must be the hex HMAC-SHA256 of `${timestamp}.${body}`");
  }
  const expected = Buffer.from(platformSignature(secret, timestamp, request.rawBody), "hex");
  if (!timingSafeEqual(expected, Buffer.from(signature, "hex"))) {
    throw new UnauthenticatedError("platform.signature-invalid", `X-Platform-Signature is not ${platform}'s signature of this request`);
  }
}
