import { describe, expect, it } from "vitest";
import { ValidationError } from "@oms/errors";
import { defaultLogPageSize, logPageOf, logPageSizeOf, logPositionOfToken } from "./log-pages.ts";

const refusedField = (read: () => unknown) => {
  try {
    read();
    return "granted";
  } catch (error) {
    return error instanceof ValidationError ? error.fields.map((f) => f.field).join(", ") : String(error);
  }
};
const row = (micros: string, id: string) => ({ position_micros: micros, position_id: id });

describe("a page of an append-only log", () => {
  it("continues after the last row shown when the extra row says there is more, and gives no token at the end", () => {
    const more = logPageOf([row("1764583200000500", "7"), row("1764583200000500", "8"), row("1764583200000501", "9")], 2);
    expect(more.rows).toHaveLength(2);
    expect(logPositionOfToken(more.nextPageToken, "pageToken")).toEqual({ atMicros: "1764583200000500", id: "8" });
    expect(logPageOf([row("1764583200000500", "7")], 2).nextPageToken).toBe("");
    expect(logPageOf([], 2)).toEqual({ rows: [], nextPageToken: "" });
  });

  it("takes an unset size as the default and refuses one outside 1 to 1,000, naming the field", () => {
    expect(logPageSizeOf(0, "pageSize")).toBe(defaultLogPageSize);
    expect(logPageSizeOf(1_000, "pageSize")).toBe(1_000);
    expect(refusedField(() => logPageSizeOf(1_001, "pageSize"))).toBe("pageSize");
    expect(refusedField(() => logPageSizeOf(-1, "limit"))).toBe("limit");
  });

  it("reads the first page from an empty token and refuses any token it did not give, naming the field", () => {
    expect(logPositionOfToken("", "pageToken")).toBeUndefined();
    const forged = (value: unknown) => Buffer.from(JSON.stringify(value)).toString("base64url");
    for (const token of ["not-a-token", forged(["1; DROP TABLE x", "1"]), forged([1764583200000500, 8]), forged({ at: "1", id: "2" }), forged(["1", "-2"])]) {
      expect(refusedField(() => logPositionOfToken(token, "pageToken"))).toBe("pageToken");
    }
  });

  it("refuses a token naming a position the database cannot take, rather than failing the read", () => {
    // Digits the pattern lets through but bigint, the interval or the timestamp cannot hold: each was a 500 (INTERNAL) from the query.
    const forged = (micros: string, id: string) => Buffer.from(JSON.stringify([micros, id])).toString("base64url");
    for (const token of [forged("1764583200000500", "9999999999999999999"), forged("9999999999999999999", "8"), forged("9223372036854775807", "8"), forged("999999999999999999", "8")]) {
      expect(refusedField(() => logPositionOfToken(token, "pageToken"))).toBe("pageToken");
    }
    // The extremes a row can have in the range the cursor is exact in (1685 to 2255) still pass, before 1970 too.
    expect(logPositionOfToken(forged("-9007199254740991", "9223372036854775807"), "pageToken")).toEqual({ atMicros: "-9007199254740991", id: "9223372036854775807" });
    expect(logPositionOfToken(forged("9007199254740991", "1"), "pageToken")).toEqual({ atMicros: "9007199254740991", id: "1" });
  });
});
