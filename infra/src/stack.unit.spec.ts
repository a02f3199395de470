import { describe, expect, it } from "vitest";
import { backgroundNiceOf, serviceMemorySettings } from "./stack.ts";

describe("the launcher's process settings", () => {
  it("keeps memory near the live set by default, and lets the V8 flags be replaced while a caller's own options stay", () => {
    expect(serviceMemorySettings({})).toEqual({ MALLOC_ARENA_MAX: "2", NODE_OPTIONS: "--max-semi-space-size=4 --max-old-space-size=256" });
    expect(serviceMemorySettings({ OMS_SERVICE_NODE_OPTIONS: "--max-old-space-size=512", NODE_OPTIONS: "--cpu-prof", MALLOC_ARENA_MAX: "4" })).toEqual({
      MALLOC_ARENA_MAX: "4",
      NODE_OPTIONS: "--max-old-space-size=512 --cpu-prof",
    });
  });

  it("lowers the background services' priority only when asked, within what nice allows", () => {
    expect(backgroundNiceOf({})).toBe(0);
    expect(backgroundNiceOf({ OMS_BACKGROUND_NICE: "10" })).toBe(10);
    expect(() => backgroundNiceOf({ OMS_BACKGROUND_NICE: "20" })).toThrow("OMS_BACKGROUND_NICE must be a whole number from 0 to 19, got \"20\"");
    expect(() => backgroundNiceOf({ OMS_BACKGROUND_NICE: "-5" })).toThrow(/from 0 to 19/);
  });
});
