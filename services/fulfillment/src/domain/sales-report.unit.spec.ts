import { describe, expect, it } from "vitest";
import type { FieldError } from "@oms/errors";
import { salesReportOptionsOf } from "./sales-report.ts";

const fieldsOf = (request: Parameters<typeof salesReportOptionsOf>[0], others: FieldError[] = []) => {
  const fields = [...others];
  salesReportOptionsOf(request, fields);
  return fields.map((f) => f.field);
};

describe("a sales report's options", () => {
  it("defaults to days in UTC and the top 20 items", () => {
    expect(salesReportOptionsOf({ interval: "", timeZone: "", top: 0 }, [])).toEqual({ interval: "day", timeZone: "UTC", top: 20 });
    expect(salesReportOptionsOf({ interval: " month ", timeZone: "Asia/Shanghai", top: 200 }, [])).toEqual({ interval: "month", timeZone: "Asia/Shanghai", top: 200 });
    expect(fieldsOf({ interval: "week", timeZone: "Europe/Berlin", top: 1 })).toEqual([]);
  });

  it("names every wrong option, with the request's other errors", () => {
    expect(fieldsOf({ interval: "hour", timeZone: "Mars/Olympus", top: 201 }, [{ field: "storeId", message: "is required" }])).toEqual([
      "storeId",
      "interval",
      "timeZone",
      "top",
    ]);
    // An offset is not a zone: Postgres would read "+08:00" as eight hours west.
    expect(fieldsOf({ interval: "week", timeZone: "+08:00", top: -1 })).toEqual(["timeZone", "top"]);
    expect(fieldsOf({ interval: "week", timeZone: "UTC", top: 1.5 })).toEqual(["top"]);
  });

  it("refuses an abbreviation, which the database reads as another zone than the runtime does", () => {
    // IST: India to the runtime, Israel to Postgres; CST: Chicago to one, a fixed -06:00 to the other, China to a Chinese store.
    for (const abbreviation of ["IST", "CST", "cst", "ACT", "BST", "NST", "CET", "Zulu", "PRC"]) expect(fieldsOf({ interval: "day", timeZone: abbreviation, top: 1 })).toEqual(["timeZone"]);
    for (const name of ["UTC", "utc", "GMT", "Asia/Kolkata", "Etc/GMT-8", "EST5EDT"]) expect(fieldsOf({ interval: "day", timeZone: name, top: 1 })).toEqual([]);
  });
});
