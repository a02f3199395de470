import { generateKeyPairSync } from "node:crypto";
import { describe, expect, it } from "vitest";
import { claimsOfActor } from "./claims.ts";
import { mintCallerToken } from "./mint.ts";
import { publicJwkOf, type SigningKey } from "./signing-key.ts";
import { callerVerifier, type TokenTrust } from "./verifier.ts";

const keyNamed = (kid: string): SigningKey => ({ kid, jwk: generateKeyPairSync("ed25519").privateKey.export({ format: "jwk" }) });
const provider = keyNamed("provider-1");
const stranger = keyNamed("provider-1"); // the same key id, another key: a forgery
const to = { issuer: "https://identity.example", audience: "oms-gateway" };
const trust: TokenTrust = { ...to, keys: { jwks: { keys: [publicJwkOf(provider)] } } };
const t0 = 1_800_000_000;
const bearer = (token: string) => `Bearer ${token}`;
const tokenOf = (actor: string, options: { key?: SigningKey; issuer?: string; audience?: string; issuedAt?: number; ttlSeconds?: number } = {}) =>
  mintCallerToken(options.key ?? provider, { issuer: options.issuer ?? to.issuer, audience: options.audience ?? to.audience }, claimsOfActor(actor), {
    issuedAt: options.issuedAt ?? t0,
    ttlSeconds: options.ttlSeconds,
  });

describe("a caller's token", () => {
  const verify = callerVerifier(trust, { now: () => (t0 + 60) * 1000 });

  it("names the member of staff, customer or platform the provider signed it for", async () => {
    await expect(verify(bearer(tokenOf("staff:s-1:finance")))).resolves.toEqual({ actor: { kind: "staff", id: "s-1", role: "finance" }, scope: { kind: "chain" }, issuedAt: t0 });
    await expect(verify(bearer(tokenOf("customer:c-42")))).resolves.toEqual({ actor: { kind: "customer", id: "c-42", role: "customer" }, scope: { kind: "chain" }, issuedAt: t0 });
    await expect(verify(`bearer ${tokenOf("platform:tmall")}`)).resolves.toEqual({ actor: { kind: "platform", id: "tmall", role: "platform" }, scope: { kind: "chain" }, issuedAt: t0 });
  });

  it("is no caller at all when the request carries none: an anonymous customer", async () => {
    await expect(verify(undefined)).resolves.toBeUndefined();
    await expect(verify("")).resolves.toBeUndefined();
  });

  it("is refused when it is not a bearer token", async () => {
    for (const header of ["Basic dXNlcjpwdw==", "Bearer", "Bearer a b", tokenOf("customer:c-1")]) {
      await expect(verify(header)).rejects.toMatchObject({ code: "caller.token-malformed" });
    }
  });

  it("is refused when another key signed it, even under the trusted key's id", async () => {
    await expect(verify(bearer(tokenOf("staff:s-1:finance", { key: stranger })))).rejects.toMatchObject({ code: "caller.token-invalid" });
    await expect(verify(bearer(tokenOf("staff:s-1:finance", { key: keyNamed("other") })))).rejects.toMatchObject({ code: "caller.token-invalid" });
  });

  it("is refused when it was issued by someone else or for someone else", async () => {
    await expect(verify(bearer(tokenOf("staff:s-1:finance", { issuer: "https://evil.example" })))).rejects.toMatchObject({ code: "caller.token-invalid", message: expect.stringContaining("iss") });
    await expect(verify(bearer(tokenOf("staff:s-1:finance", { audience: "another-app" })))).rejects.toMatchObject({ code: "caller.token-invalid", message: expect.stringContaining("aud") });
  });

  it("is refused once expired, beyond the clock tolerance", async () => {
    const token = tokenOf("staff:s-1:finance", { ttlSeconds: 60 });
    await expect(callerVerifier(trust, { now: () => (t0 + 80) * 1000 })(bearer(token))).resolves.toMatchObject({ actor: { id: "s-1" } });
    await expect(callerVerifier(trust, { now: () => (t0 + 100) * 1000 })(bearer(token))).rejects.toMatchObject({ code: "caller.token-expired" });
  });

  it("is refused when its signature was altered or its algorithm is none", async () => {
    const [header, payload] = tokenOf("staff:s-1:cashier").split(".");
    const raised = Buffer.from(JSON.stringify({ ...JSON.parse(Buffer.from(payload!, "base64url").toString()), role: "finance" })).toString("base64url");
    const signature = tokenOf("staff:s-1:cashier").split(".")[2];
    await expect(verify(bearer(`${header}.${raised}.${signature}`))).rejects.toMatchObject({ code: "caller.token-invalid" });
    const none = Buffer.from(JSON.stringify({ alg: "none", typ: "JWT" })).toString("base64url");
    await expect(verify(bearer(`${none}.${raised}.`))).rejects.toMatchObject({ code: "caller.token-invalid" });
  });

  it("is refused when it does not say when it was issued: its age, and so the revocations that could cut it off, would be unknown", async () => {
    const withoutIat = mintCallerToken(provider, to, { sub: "s-1", kind: "staff", role: "finance", stores: ["*"], iat: undefined } as never, { issuedAt: t0 });
    await expect(verify(bearer(withoutIat))).rejects.toMatchObject({ code: "caller.token-invalid", message: expect.stringContaining("iat") });
  });

  it("is refused once issued longer ago than the gateway accepts (a day unless set), however late it expires", async () => {
    const longLived = tokenOf("staff:s-1:finance", { ttlSeconds: 10 * 86_400 });
    await expect(callerVerifier(trust, { now: () => (t0 + 86_400 + 30) * 1000 })(bearer(longLived))).resolves.toMatchObject({ actor: { id: "s-1" } });
    await expect(callerVerifier(trust, { now: () => (t0 + 86_400 + 31) * 1000 })(bearer(longLived))).rejects.toMatchObject({ code: "caller.token-expired", message: expect.stringContaining("issued longer ago") });
    const hourly = callerVerifier(trust, { now: () => (t0 + 3_601) * 1000, maxTokenAgeSeconds: 3_600, clockToleranceSeconds: 0 });
    await expect(hourly(bearer(longLived))).rejects.toMatchObject({ code: "caller.token-expired" });
  });

  it("is refused when it names nobody an outside caller can be", async () => {
    for (const actor of ["system:intake", "staff:s-1", "customer:c-1:finance", "staff:s 1:finance", "clerk", "staff:s-1:Finance"]) {
      await expect(verify(bearer(tokenOf(actor))), actor).rejects.toMatchObject({ code: "caller.malformed" });
    }
  });

  it("says where a member of staff may act: the stores named, or the whole chain for [\"*\"]", async () => {
    const scoped = await verify(bearer(tokenOf("staff:m-1:store-manager@store-a,store-b")));
    expect(scoped?.scope).toEqual({ kind: "stores", stores: new Set(["store-a", "store-b"]) });
    expect((await verify(bearer(tokenOf("staff:a-1:auditor@*"))))?.scope).toEqual({ kind: "chain" });
  });

  it("is refused when a member of staff's token does not say where they work", async () => {
    const withStores = (stores: unknown) =>
      mintCallerToken(provider, to, { sub: "m-1", kind: "staff", role: "store-manager", stores } as never, { issuedAt: t0 });
    for (const stores of [undefined, [], ["*", "store-a"], ["store a"], "store-a", [42]]) {
      await expect(verify(bearer(withStores(stores))), JSON.stringify(stores)).rejects.toMatchObject({ code: "caller.malformed" });
    }
  });

  it("is remembered once verified, but only until it expires", async () => {
    let nowMs = (t0 + 10) * 1000;
    const remembering = callerVerifier(trust, { now: () => nowMs, clockToleranceSeconds: 0, rememberedTokens: 1 });
    const token = tokenOf("staff:s-1:finance", { ttlSeconds: 60 });
    await expect(remembering(bearer(token))).resolves.toMatchObject({ actor: { id: "s-1" } });
    nowMs = (t0 + 61) * 1000;
    await expect(remembering(bearer(token))).rejects.toMatchObject({ code: "caller.token-expired" });
  });

  it("is remembered no longer than it is young enough to be accepted", async () => {
    let nowMs = (t0 + 10) * 1000;
    const remembering = callerVerifier(trust, { now: () => nowMs, clockToleranceSeconds: 0, maxTokenAgeSeconds: 30, rememberedTokens: 1 });
    const token = tokenOf("staff:s-1:finance", { ttlSeconds: 3_600 });
    await expect(remembering(bearer(token))).resolves.toMatchObject({ actor: { id: "s-1" } });
    nowMs = (t0 + 31) * 1000;
    await expect(remembering(bearer(token))).rejects.toMatchObject({ code: "caller.token-expired" });
  });
});
