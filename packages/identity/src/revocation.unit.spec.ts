import { generateKeyPairSync } from "node:crypto";
import { describe, expect, it } from "vitest";
import { claimsOfActor } from "./claims.ts";
import { mintCallerToken } from "./mint.ts";
import { firstIssueAfter, isCutOff, parseTokenSubject, revocationChecked, revocationHorizonSeconds, revocationsConsultedFrom, tokenSubjectOf } from "./revocation.ts";
import { publicJwkOf, type SigningKey } from "./signing-key.ts";
import { callerVerifier, type TokenTrust } from "./verifier.ts";

const t0 = 1_800_000_000;
const at = (seconds: number, ms = 0) => seconds * 1000 + ms;

describe("which tokens a revocation cuts off", () => {
  it("cuts off tokens issued before it, and lets through those issued in a later second", () => {
    expect(isCutOff(t0 - 3600, at(t0, 400))).toBe(true);
    expect(isCutOff(t0 - 1, at(t0, 400))).toBe(true);
    expect(isCutOff(t0 + 1, at(t0, 400))).toBe(false);
    expect(isCutOff(t0 + 3600, at(t0, 400))).toBe(false);
  });

  it("cuts off a token of the revocation's own second, whether it was issued before or after it within the second", () => {
    expect(isCutOff(t0, at(t0, 0))).toBe(true);
    expect(isCutOff(t0, at(t0, 999))).toBe(true);
    // A fraction of a second in iat is read by its second too.
    expect(isCutOff(t0 + 0.9, at(t0, 100))).toBe(true);
    expect(isCutOff(t0 + 1.2, at(t0, 999))).toBe(false);
  });

  it("cuts off a token that does not say when it was issued", () => {
    expect(isCutOff(undefined, at(t0))).toBe(true);
    expect(isCutOff(undefined, 0)).toBe(true);
  });

  it("names the first moment a token may be issued at and outlive it: the next whole second", () => {
    expect(firstIssueAfter(at(t0, 400))).toBe(at(t0 + 1));
    expect(firstIssueAfter(at(t0, 0))).toBe(at(t0 + 1));
    expect(isCutOff(firstIssueAfter(at(t0, 999)) / 1000, at(t0, 999))).toBe(false);
  });
});

describe("how long a revocation matters", () => {
  const key: SigningKey = { kid: "k-h", jwk: generateKeyPairSync("ed25519").privateKey.export({ format: "jwk" }) };
  const to = { issuer: "https://identity.example", audience: "oms-gateway" };
  const trust: TokenTrust = { ...to, keys: { jwks: { keys: [publicJwkOf(key)] } } };
  const limits = { maxTokenAgeSeconds: 3_600, clockToleranceSeconds: 30 };
  const horizon = revocationHorizonSeconds(limits);

  it("is the longest a token is accepted after it was issued, with the clock tolerance", () => {
    expect(horizon).toBe(3_630);
    expect(revocationHorizonSeconds({ maxTokenAgeSeconds: 86_400, clockToleranceSeconds: 30 })).toBe(86_430);
  });

  it("ends where no token the gateway still accepts can be cut off, and not a second sooner", async () => {
    for (const nowMs of [at(t0 + 10_000), at(t0 + 10_000, 999)]) {
      const verify = callerVerifier(trust, { ...limits, now: () => nowMs });
      const from = revocationsConsultedFrom(nowMs, horizon);
      // The oldest token still accepted is cut off by a revocation at the start of the horizon, even late in its second…
      const oldest = Math.floor(nowMs / 1000) - horizon;
      await expect(verify(`Bearer ${mintCallerToken(key, to, claimsOfActor("staff:s-1:finance"), { issuedAt: oldest, ttlSeconds: 2 * 3_600 })}`)).resolves.toMatchObject({ issuedAt: oldest });
      expect(isCutOff(oldest, from)).toBe(true);
      expect(isCutOff(oldest, from + 999)).toBe(true);
      // …no revocation before it cuts that token off, and one a second older is refused anyway.
      expect(isCutOff(oldest, from - 1)).toBe(false);
      await expect(verify(`Bearer ${mintCallerToken(key, to, claimsOfActor("staff:s-1:finance"), { issuedAt: oldest - 1, ttlSeconds: 2 * 3_600 })}`)).rejects.toMatchObject({ code: "caller.token-expired" });
    }
  });
});

describe("a revocation's subject", () => {
  it("is the kind and id of the caller, whatever their role or stores", () => {
    expect(tokenSubjectOf({ kind: "staff", id: "s-7" })).toBe("staff:s-7");
    expect(parseTokenSubject("staff:s-7")).toEqual({ kind: "staff", id: "s-7" });
    expect(parseTokenSubject("customer:c-42@example")).toEqual({ kind: "customer", id: "c-42@example" });
    expect(parseTokenSubject("platform:tmall")).toEqual({ kind: "platform", id: "tmall" });
  });

  it("names nobody a token could name otherwise", () => {
    for (const text of ["", "staff", "staff:", "system:intake", "staff:s-7:finance", "staff:s 7", "Staff:s-7", ":s-7", `staff:${"a".repeat(65)}`]) {
      expect(parseTokenSubject(text), text).toBeUndefined();
    }
  });
});

describe("tokens held to the revocations", () => {
  const key: SigningKey = { kid: "k-1", jwk: generateKeyPairSync("ed25519").privateKey.export({ format: "jwk" }) };
  const to = { issuer: "https://identity.example", audience: "oms-gateway" };
  const trust: TokenTrust = { ...to, keys: { jwks: { keys: [publicJwkOf(key)] } } };
  const bearer = (actor: string, issuedAt: number) => `Bearer ${mintCallerToken(key, to, claimsOfActor(actor), { issuedAt })}`;
  const revoked = new Map<string, number>();
  let lookups = 0;
  const verify = revocationChecked(callerVerifier(trust, { now: () => at(t0 + 120) }), {
    notBeforeOf: (subject) => {
      lookups++;
      return revoked.get(subject);
    },
  });

  it("refuses a revoked subject's earlier token, even once the verifier remembers it, and lets a later one and others' through", async () => {
    const before = bearer("staff:s-1:finance", t0);
    await expect(verify(before)).resolves.toMatchObject({ actor: { id: "s-1" } });
    revoked.set("staff:s-1", at(t0 + 60, 250));
    await expect(verify(before)).rejects.toMatchObject({ code: "caller.token-revoked" });
    // Another role of the same person is the same subject.
    await expect(verify(bearer("staff:s-1:auditor", t0 + 60))).rejects.toMatchObject({ code: "caller.token-revoked" });
    await expect(verify(bearer("staff:s-1:store-manager", t0 + 61))).resolves.toMatchObject({ actor: { id: "s-1", role: "store-manager" } });
    await expect(verify(bearer("staff:s-2:finance", t0))).resolves.toMatchObject({ actor: { id: "s-2" } });
    // A customer of the same id is someone else.
    await expect(verify(bearer("customer:s-1", t0))).resolves.toMatchObject({ actor: { kind: "customer" } });
  });

  it("does not look anything up for a request without a token", async () => {
    const asked = lookups;
    await expect(verify(undefined)).resolves.toBeUndefined();
    expect(lookups).toBe(asked);
  });
});
