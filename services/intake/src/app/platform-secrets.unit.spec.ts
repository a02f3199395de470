import { describe, expect, it } from "vitest";
import type { DemoChain } from "@oms/service-kit";
import { platformSecretsOf, platformSettingsOfChain } from "./platform-secrets.ts";

const chain = {
  platforms: {
    tmall: { demoSecret: "demo-tmall-secret-xxxxxxxx", defaultStoreId: "store-a", storesByDistrict: { Pudong: "store-b" }, skuByItemId: { "TM-1": "KETTLE" } },
    pinduoduo: { demoSecret: "demo-pdd-secret-xxxxxxxxxx" },
  },
} as unknown as DemoChain;

describe("platform secrets", () => {
  it("take the demo chain's secrets only when the demo is seeded, and the environment's over them", () => {
    expect([...platformSecretsOf({}, chain, false)]).toEqual([]);
    expect(Object.fromEntries(platformSecretsOf({}, chain, true))).toEqual({ tmall: "demo-tmall-secret-xxxxxxxx", pinduoduo: "demo-pdd-secret-xxxxxxxxxx" });
    const env = { INTAKE_PLATFORM_SECRETS: JSON.stringify({ tmall: "production-tmall-secret-0001" }) };
    expect(Object.fromEntries(platformSecretsOf(env, chain, false))).toEqual({ tmall: "production-tmall-secret-0001" });
    expect(platformSecretsOf(env, chain, true).get("tmall")).toBe("production-tmall-secret-0001");
  });

  it("refuses a malformed or weak INTAKE_PLATFORM_SECRETS without quoting it", () => {
    expect(() => platformSecretsOf({ INTAKE_PLATFORM_SECRETS: '{"tmall": "s3cr3t-but-broken' }, chain, false)).toThrow(/^INTAKE_PLATFORM_SECRETS must be a JSON object \{platform: secret\}; it is not valid JSON$/);
    expect(() => platformSecretsOf({ INTAKE_PLATFORM_SECRETS: '{"tmall": "short"}' }, chain, false)).toThrow(/at least 16 characters/);
    expect(() => platformSecretsOf({ INTAKE_PLATFORM_SECRETS: "[]" }, chain, false)).toThrow(/JSON object/);
  });

  it("reads the chain's store routes and item mappings, never its secrets, as what intake stores", () => {
    expect(platformSettingsOfChain(chain)).toEqual([
      { platform: "tmall", defaultStoreId: "store-a", storesByDistrict: { Pudong: "store-b" }, skuByItemId: { "TM-1": "KETTLE" }, callbackUrl: undefined },
      { platform: "pinduoduo", defaultStoreId: undefined, storesByDistrict: {}, skuByItemId: {}, callbackUrl: undefined },
    ]);
  });
});
