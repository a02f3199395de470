import { describe, expect, it } from "vitest";
import { fieldsRefused } from "@oms/testing/refusals";
import { parseOrderSubmission } from "./schemas.ts";

const valid = {
  channel: "website",
  channelOrderId: "WEB-1",
  storeId: "store-sh-jingan",
  kind: "goods",
  fulfillmentMethod: "ship",
  customer: { name: "Zhou Lan", phone: "+86 138 0013 8000", address: { line1: "88 Nanjing West Road", city: "Shanghai", district: "Jing'an", country: "CN" } },
  lines: [{ sku: "KETTLE-1L7", quantity: 1, unitPriceMinor: 19_900 }],
  totals: { discountMinor: 0, shippingFeeMinor: 0, serviceFeeMinor: 0, taxMinor: 0, grandTotalMinor: 19_900, currency: "CNY" },
  paymentMethod: "third-party",
  prepaid: true,
};

const fieldErrorsOf = (body: unknown) => fieldsRefused(() => parseOrderSubmission(body));

describe("order submission schema", () => {
  it("takes a valid order and trims its text", () => {
    const parsed = parseOrderSubmission({ ...valid, notes: "  leave at the door  " });
    expect(parsed.notes).toBe("leave at the door");
    expect(parsed.lines[0]?.sku).toBe("KETTLE-1L7");
  });

  it("names every wrong field once, by its path, without repeating the input", () => {
    const body = {
      ...valid,
      channel: "carrier-pigeon",
      customer: { ...valid.customer, name: "", address: { ...valid.customer.address, country: "China" } },
      lines: [{ sku: "KETTLE-1L7", quantity: 1.5, unitPriceMinor: -1, colour: "red" }, "x"],
      totals: { ...valid.totals, grandTotalMinor: "19900" },
      requestedFrom: "tomorrow",
      extra: true,
    };
    const fields = fieldErrorsOf(body);
    expect(fields).toEqual([
      { field: "channel", message: "must be one of website, app, pos, phone, email, social" },
      { field: "customer.name", message: "must not be empty" },
      { field: "customer.address.country", message: "must be an ISO 3166-1 alpha-2 country code, e.g. CN" },
      { field: "lines[0].quantity", message: "must be a whole number" },
      { field: "lines[0].unitPriceMinor", message: "must be at least 0" },
      { field: "lines[0].colour", message: "is not a known field" },
      { field: "lines[1]", message: "must be an object" },
      { field: "totals.grandTotalMinor", message: "must be a number" },
      { field: "requestedFrom", message: "must be an ISO 8601 date-time with a time zone, e.g. 2026-05-01T09:00:00+08:00" },
      { field: "extra", message: "is not a known field" },
    ]);
    expect(JSON.stringify(fields)).not.toContain("China");
  });

  it("says which required fields are missing", () => {
    const { customer: _customer, lines: _lines, ...rest } = valid;
    expect(fieldErrorsOf({ ...rest, lines: [] })).toEqual([
      { field: "customer", message: "is required" },
      { field: "lines", message: "must have at least 1 item" },
    ]);
    expect(fieldErrorsOf(undefined)).toEqual([{ field: "body", message: "is required" }]);
    expect(fieldErrorsOf([])).toEqual([{ field: "body", message: "must be an object" }]);
  });

  it("refuses a NUL character, which Postgres cannot store, as a field error", () => {
    const customer = { ...valid.customer, name: "Zhou\u0000Lan" };
    expect(fieldErrorsOf({ ...valid, customer, notes: "\u0000" })).toEqual([
      { field: "customer.name", message: "must not contain a NUL character" },
      { field: "notes", message: "must not contain a NUL character" },
    ]);
  });

  it("refuses half of a character, which Postgres's jsonb cannot store, wherever it stands, beside the schema's own complaints", () => {
    // As JSON.parse makes it of "\ud800": valid JSON, but no character.
    const half = JSON.parse('"Zhou\\ud800"') as string;
    const customer = { ...valid.customer, name: half };
    expect(fieldErrorsOf({ ...valid, customer, lines: [{ ...valid.lines[0], sku: half }, { sku: "" }] })).toEqual([
      { field: "customer.name", message: "holds half of a character (a lone UTF-16 surrogate), which cannot be stored" },
      { field: "lines[0].sku", message: "holds half of a character (a lone UTF-16 surrogate), which cannot be stored" },
      { field: "lines[1].sku", message: "must not be empty" },
      { field: "lines[1].quantity", message: "is required" },
      { field: "lines[1].unitPriceMinor", message: "is required" },
    ]);
    // A whole character beyond the basic plane (a surrogate pair) is text like any other.
    expect(parseOrderSubmission({ ...valid, customer: { ...valid.customer, name: "Zhou 🐉" } }).customer.name).toBe("Zhou 🐉");
  });
});
