import { generateKeyPairSync } from "node:crypto";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from "vitest";
import { claimsOfActor } from "./claims.ts";
import { mintCallerToken } from "./mint.ts";
import { RememberedTokens } from "./remembered-tokens.ts";
import { publicJwkOf, type SigningKey } from "./signing-key.ts";
import { callerVerifier } from "./verifier.ts";

// A provider publishing its keys over HTTP (loopback), as INTAKE_TOKEN_JWKS_URL names one, and
// taking one away: a token the gateway remembers is refused as soon as the gateway's set has lost its key.
const keyNamed = (kid: string): SigningKey => ({ kid, jwk: generateKeyPairSync("ed25519").privateKey.export({ format: "jwk" }) });
const retiring = keyNamed("k-retiring");
const staying = keyNamed("k-staying");
const unknown = keyNamed("k-unknown");
const to = { issuer: "https://identity.example", audience: "oms-gateway" };
let published: SigningKey[] = [];
let fetches = 0;
let server: Server;
let url: URL;

beforeAll(async () => {
  server = createServer((_, response) => {
    fetches++;
    response.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify({ keys: published.map(publicJwkOf) }));
  });
  await new Promise<void>((listening) => server.listen(0, "127.0.0.1", listening));
  url = new URL(`http://127.0.0.1:${(server.address() as AddressInfo).port}/jwks.json`);
});
afterAll(() => new Promise<void>((closed) => server.close(() => closed())));
afterEach(() => vi.useRealTimers());

const bearer = (key: SigningKey, actor: string) => `Bearer ${mintCallerToken(key, to, claimsOfActor(actor), { issuedAt: Math.floor(Date.now() / 1000), ttlSeconds: 3_600 })}`;

/** A verifier of the provider's published set whose memory the spec can watch; jose judges its set's age by Date, faked here. */
function gateway() {
  vi.useFakeTimers({ toFake: ["Date"], now: Date.now() });
  published = [retiring, staying];
  const remembered = new RememberedTokens(100);
  const recalled = vi.spyOn(remembered, "recall");
  return { verify: callerVerifier({ ...to, keys: { url } }, { remembered }), remembered, recalled };
}

describe("a token remembered from a provider's published keys", () => {
  it("is refused at once when a refetch of the set finds its key gone, and the others are verified again", async () => {
    const { verify, remembered, recalled } = gateway();
    const retiringToken = bearer(retiring, "staff:s-1:finance");
    const stayingToken = bearer(staying, "staff:s-2:finance");
    await verify(retiringToken); // the set fetched
    await verify(retiringToken);
    await verify(stayingToken);
    await expect(verify(retiringToken)).resolves.toMatchObject({ actor: { id: "s-1" } });
    expect(recalled.mock.results.at(-1)?.value).toMatchObject({ actor: { id: "s-1" } });
    expect(remembered.size).toBe(2);

    // The provider retires the key; a token naming a key the gateway has not seen makes it refetch (after jose's 30 s cooldown).
    published = [staying];
    vi.advanceTimersByTime(31_000);
    const fetchedBefore = fetches;
    await expect(verify(bearer(unknown, "staff:s-3:finance"))).rejects.toMatchObject({ code: "caller.token-invalid" });
    expect(fetches).toBe(fetchedBefore + 1);

    await expect(verify(retiringToken)).rejects.toMatchObject({ code: "caller.token-invalid" });
    await expect(verify(stayingToken)).resolves.toMatchObject({ actor: { id: "s-2" } });
  });

  it("is verified in full once the set is older than jose keeps it, so a key retired meanwhile is refused", async () => {
    const { verify } = gateway();
    const retiringToken = bearer(retiring, "staff:s-1:finance");
    await verify(retiringToken);
    await expect(verify(retiringToken)).resolves.toMatchObject({ actor: { id: "s-1" } });

    published = [staying];
    const fetchedBefore = fetches;
    // jose keeps a fetched set 10 minutes, then fetches it again before it verifies anything.
    vi.advanceTimersByTime(10 * 60_000 + 1_000);
    await expect(verify(retiringToken)).rejects.toMatchObject({ code: "caller.token-invalid" });
    expect(fetches).toBe(fetchedBefore + 1);
  });
});
