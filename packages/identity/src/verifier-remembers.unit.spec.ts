import { generateKeyPairSync } from "node:crypto";
import { describe, expect, it, vi } from "vitest";
import { claimsOfActor } from "./claims.ts";
import { mintCallerToken } from "./mint.ts";
import { RememberedTokens } from "./remembered-tokens.ts";
import { revocationChecked } from "./revocation.ts";
import { publicJwkOf, type SigningKey } from "./signing-key.ts";
import { callerVerifier, type TokenTrust, type VerifierOptions } from "./verifier.ts";

// The verifier answering from memory only what it would accept in full (ADR 022, "verified tokens remembered").
const provider: SigningKey = { kid: "k-1", jwk: generateKeyPairSync("ed25519").privateKey.export({ format: "jwk" }) };
const forger: SigningKey = { kid: "k-1", jwk: generateKeyPairSync("ed25519").privateKey.export({ format: "jwk" }) };
const to = { issuer: "https://identity.example", audience: "oms-gateway" };
const trust: TokenTrust = { ...to, keys: { jwks: { keys: [publicJwkOf(provider)] } } };
const t0 = 1_800_000_000;
const at = (seconds: number) => seconds * 1000;
const bearer = (actor: string, options: { key?: SigningKey; ttlSeconds?: number } = {}) =>
  `Bearer ${mintCallerToken(options.key ?? provider, to, claimsOfActor(actor), { issuedAt: t0, ttlSeconds: options.ttlSeconds ?? 60 })}`;

/** A verifier on a clock the spec moves, whose memory it watches. */
function watched(options: VerifierOptions = {}) {
  const clock = { nowMs: at(t0 + 10) };
  const remembered = new RememberedTokens(100);
  const recalled = vi.spyOn(remembered, "recall");
  const verify = callerVerifier(trust, { now: () => clock.nowMs, remembered, ...options });
  const lastRecall = () => recalled.mock.results.at(-1)?.value as unknown;
  return { clock, remembered, verify, lastRecall };
}

describe("a verified token remembered", () => {
  it("is answered from memory the next time it is presented", async () => {
    const { verify, remembered, lastRecall } = watched();
    const token = bearer("staff:s-1:finance");
    await verify(token);
    expect(remembered.size).toBe(1);
    await expect(verify(token)).resolves.toMatchObject({ actor: { id: "s-1" } });
    expect(lastRecall()).toMatchObject({ actor: { id: "s-1" } });
  });

  it("is refused on its next use once its subject is revoked, though memory still answers for it", async () => {
    const { verify, lastRecall } = watched();
    const revoked = new Map<string, number>();
    const checked = revocationChecked(verify, { notBeforeOf: (subject) => revoked.get(subject) });
    const token = bearer("staff:s-1:finance");
    await expect(checked(token)).resolves.toMatchObject({ actor: { id: "s-1" } });
    await expect(checked(token)).resolves.toMatchObject({ actor: { id: "s-1" } });
    revoked.set("staff:s-1", at(t0 + 5));
    await expect(checked(token)).rejects.toMatchObject({ code: "caller.token-revoked" });
    expect(lastRecall()).toMatchObject({ actor: { id: "s-1" } });
  });

  it("is verified in full within the clock tolerance after its exp: accepted there, refused beyond it", async () => {
    const { verify, clock, lastRecall } = watched({ clockToleranceSeconds: 30 });
    const token = bearer("staff:s-1:finance", { ttlSeconds: 60 });
    await verify(token);
    clock.nowMs = at(t0 + 75);
    await expect(verify(token)).resolves.toMatchObject({ actor: { id: "s-1" } });
    expect(lastRecall()).toBeUndefined();
    clock.nowMs = at(t0 + 90);
    await expect(verify(token)).rejects.toMatchObject({ code: "caller.token-expired" });
  });

  it("is never answered before the moment it was verified: a clock stepped back verifies in full", async () => {
    const { verify, clock, lastRecall } = watched();
    const token = bearer("staff:s-1:finance");
    await verify(token);
    clock.nowMs = at(t0 + 9);
    await expect(verify(token)).resolves.toMatchObject({ actor: { id: "s-1" } });
    expect(lastRecall()).toBeUndefined();
  });
});

describe("a refused token", () => {
  it("is never remembered: each presentation is verified in full and refused again", async () => {
    const { verify, remembered, clock } = watched({ clockToleranceSeconds: 0 });
    const refused = [
      [bearer("staff:s-1:finance", { key: forger }), "caller.token-invalid"],
      [bearer("system:intake"), "caller.malformed"],
      [bearer("staff:s-1:finance", { ttlSeconds: 5 }), "caller.token-expired"],
    ] as const;
    for (const [token, code] of refused) {
      await expect(verify(token)).rejects.toMatchObject({ code });
      await expect(verify(token)).rejects.toMatchObject({ code });
    }
    expect(remembered.size).toBe(0);
    // A token verified once it is valid is remembered then, not before.
    clock.nowMs = at(t0 + 11);
    await verify(bearer("staff:s-2:finance"));
    expect(remembered.size).toBe(1);
  });
});
