import { describe, expect, it } from "vitest";
import { serviceMemorySettings } from "./stack.ts";

describe("the launcher's process settings", () => {
  it("keeps memory near the live set by default, and lets the V8 flags be replaced while a caller's own options stay", () => {
    expect(serviceMemorySettings({})).toEqual({ MALLOC_ARENA_MAX: "2", NODE_OPTIONS: "--max-semi-space-size=4 --max-old-space-size=256" });
    expect(serviceMemorySettings({ OMS_SERVICE_NODE_OPTIONS: "--max-old-space-size=512", NODE_OPTIONS: "--cpu-prof", MALLOC_ARENA_MAX: "4" })).toEqual({
      MALLOC_ARENA_MAX: "4",
      NODE_OPTIONS: "--max-old-space-size=512 --cpu-prof",
    });
  });
});
