import { describe, expect, it } from "vitest";
import { ConfigError } from "@oms/service-kit";
import { warehouseSettingsFromEnv } from "./settings.ts";

describe("warehouse settings from the environment", () => {
  it("are production's step deadlines when unset: an hour to pick, half an hour to pack, two hours to ship, escalated half an hour later", () => {
    expect(warehouseSettingsFromEnv({}).stepDeadlines).toEqual({ pickMs: 3_600_000, packMs: 1_800_000, shipMs: 7_200_000, escalateAfterMs: 1_800_000 });
  });

  it("take minutes, fractions too (a test makes a step due in seconds)", () => {
    const settings = warehouseSettingsFromEnv({ WAREHOUSE_PICK_MINUTES: "0.25", WAREHOUSE_PACK_MINUTES: "10", WAREHOUSE_SHIP_MINUTES: "", WAREHOUSE_ESCALATE_AFTER_MINUTES: "5" });
    expect(settings.stepDeadlines).toEqual({ pickMs: 15_000, packMs: 600_000, shipMs: 7_200_000, escalateAfterMs: 300_000 });
  });

  it("refuse a value that is not a positive number of minutes, naming the variable", () => {
    for (const [key, raw] of [
      ["WAREHOUSE_PICK_MINUTES", "0"],
      ["WAREHOUSE_PACK_MINUTES", "-5"],
      ["WAREHOUSE_SHIP_MINUTES", "two hours"],
      ["WAREHOUSE_ESCALATE_AFTER_MINUTES", "1e9"],
    ] as const) {
      const read = () => warehouseSettingsFromEnv({ [key]: raw });
      expect(read).toThrow(ConfigError);
      expect(read).toThrow(`${key} must be a positive number of minutes up to 44640, got ${JSON.stringify(raw)}`);
    }
  });
});
