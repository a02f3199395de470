import { describe, expect, it } from "vitest";
import { rememberedTokensFromEnv, tokenAgeLimitsFromEnv } from "./token-age-limits.ts";

describe("how old a token may be and how long a revocation is consulted", () => {
  it("accepts tokens up to a day old unless set, and consults revocations for that and the clock tolerance", () => {
    expect(tokenAgeLimitsFromEnv({})).toEqual({ maxTokenAgeSeconds: 86_400, clockToleranceSeconds: 30, revocationHorizonSeconds: 86_430 });
    expect(tokenAgeLimitsFromEnv({ INTAKE_TOKEN_MAX_AGE_SECONDS: "3600" })).toEqual({ maxTokenAgeSeconds: 3_600, clockToleranceSeconds: 30, revocationHorizonSeconds: 3_630 });
  });

  it("keeps revocations consulted longer when asked, never shorter than a withdrawn token could still be accepted", () => {
    expect(tokenAgeLimitsFromEnv({ INTAKE_TOKEN_MAX_AGE_SECONDS: "3600", INTAKE_TOKEN_REVOCATIONS_HORIZON_SECONDS: "7200" }).revocationHorizonSeconds).toBe(7_200);
    expect(() => tokenAgeLimitsFromEnv({ INTAKE_TOKEN_MAX_AGE_SECONDS: "3600", INTAKE_TOKEN_REVOCATIONS_HORIZON_SECONDS: "3629" })).toThrow(/HORIZON_SECONDS must be .* from 3630 .*let withdrawn tokens back in/);
    expect(() => tokenAgeLimitsFromEnv({ INTAKE_TOKEN_REVOCATIONS_HORIZON_SECONDS: "3600" })).toThrow(/from 86430/);
  });

  it("refuses a maximum age that is not a whole number of seconds from a minute to thirty days", () => {
    for (const wrong of ["0", "59", "1.5", "a day", "2592001"]) expect(() => tokenAgeLimitsFromEnv({ INTAKE_TOKEN_MAX_AGE_SECONDS: wrong }), wrong).toThrow(/INTAKE_TOKEN_MAX_AGE_SECONDS/);
  });
});

describe("how many verified tokens an intake remembers", () => {
  it("is 10,000 unless set, 0 verifying every request in full, and nothing but a whole number up to a million", () => {
    expect(rememberedTokensFromEnv({})).toBe(10_000);
    expect(rememberedTokensFromEnv({ INTAKE_TOKEN_REMEMBERED: "0" })).toBe(0);
    expect(rememberedTokensFromEnv({ INTAKE_TOKEN_REMEMBERED: "50000" })).toBe(50_000);
    for (const wrong of ["-1", "1.5", "many", "1000001"]) expect(() => rememberedTokensFromEnv({ INTAKE_TOKEN_REMEMBERED: wrong }), wrong).toThrow(/INTAKE_TOKEN_REMEMBERED must be a whole number .* tokens/);
  });
});
