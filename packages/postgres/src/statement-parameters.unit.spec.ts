import { describe, expect, it } from "vitest";
import { StatementParameters } from "./statement-parameters.ts";

describe("StatementParameters", () => {
  it("numbers the values in the order they are added, casting arrays for unnest", () => {
    const parameters = new StatementParameters();
    expect(parameters.add("oms.intake.order.v1")).toBe("$1");
    expect(parameters.addArray(["a", "b"], "text")).toBe("$2::text[]");
    expect(parameters.addArray([1, 2], "int")).toBe("$3::int[]");
    expect(parameters.values).toEqual(["oms.intake.order.v1", ["a", "b"], [1, 2]]);
  });

  it("writes the same placeholders for the same adds, whatever the values, so the text is prepared once", () => {
    const write = (ids: string[]) => {
      const parameters = new StatementParameters();
      return `SELECT * FROM unnest(${parameters.addArray(ids, "text")}) WHERE x = ${parameters.add(ids.length)}`;
    };
    expect(write(["a"])).toBe(write(["b", "c", "d"]));
  });
});
