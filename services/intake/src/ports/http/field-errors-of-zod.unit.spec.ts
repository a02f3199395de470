import { describe, expect, it } from "vitest";
import { fieldsRefused } from "@oms/testing/refusals";
import { z } from "zod";
import { halfCharacterPaths, parseOrRefuse } from "./field-errors-of-zod.ts";
import { text } from "./schema-primitives.ts";

// As JSON.parse makes it of "\ud800": valid JSON, but no character.
const half = JSON.parse('"x\\ud800"') as string;

describe("halfCharacterPaths", () => {
  it("names every string and key holding half of a character, each by its own whole path", () => {
    const body = { a: [half, "ok", { b: half }], c: { [half]: "value", d: ["ok", [half]] }, e: half, f: 7, g: null };
    expect(halfCharacterPaths(body)).toEqual([["a", 0], ["a", 2, "b"], ["c", half], ["c", "d", 1, 0], ["e"]]);
  });

  it("finds nothing in whole characters, surrogate pairs included, nor in a body that is a bare string", () => {
    expect(halfCharacterPaths({ name: "Zhou 🐉", lines: [{ sku: "北京" }] })).toEqual([]);
    expect(halfCharacterPaths(half)).toEqual([[]]);
  });

  it("reads an object's own members only, as the body parsed from JSON has", () => {
    const withInherited = Object.assign(Object.create({ inherited: half }), { own: half });
    expect(halfCharacterPaths(withInherited)).toEqual([["own"]]);
    expect(halfCharacterPaths(Object.assign(Object.create(null), { [half]: 1 }))).toEqual([[half]]);
  });
});

describe("parseOrRefuse", () => {
  const Finding = z.strictObject({ findingId: text(100), lines: z.array(z.object({ sku: text(10) })).min(1) });

  // zod measures the `length` of any object that has one, after its type check failed too; a JSON
  // object whose `length` has a `toString` that is no function cannot be measured and threw (a 500).
  it("refuses an object whose length cannot be measured where text or a list belongs, naming the field", () => {
    const body = JSON.parse('{"findingId":{"length":{"toString":""}},"lines":{"length":{"valueOf":1,"toString":[]}}}');
    expect(fieldsRefused(() => parseOrRefuse(Finding, body))).toEqual([
      { field: "findingId", message: "must be a string" },
      { field: "lines", message: "must be an array" },
    ]);
  });

  it("refuses such a length where text was measured first and a free-form object would take it, naming its path", () => {
    const TextOrFree = z.strictObject({ attributes: z.union([z.string().min(1), z.record(z.string(), z.unknown())]) });
    const body = JSON.parse('{"attributes":{"length":{"toString":"x"}}}');
    expect(fieldsRefused(() => parseOrRefuse(TextOrFree, body))).toEqual([{ field: "attributes.length", message: "must be a number or text, not an object that cannot be read as one" }]);
  });

  it("takes such a length where only a free-form object is measured, as zod does", () => {
    const Free = z.strictObject({ attributes: z.record(z.string(), z.unknown()) });
    expect(parseOrRefuse(Free, JSON.parse('{"attributes":{"length":{"toString":"x"}}}'))).toEqual({ attributes: { length: { toString: "x" } } });
  });

  it("answers the parsed body when every length is measurable", () => {
    expect(parseOrRefuse(Finding, { findingId: " F-1 ", lines: [{ sku: "A" }] })).toEqual({ findingId: "F-1", lines: [{ sku: "A" }] });
  });
});

describe("parseOrRefuse on a deeply nested body", () => {
  const WithFreeForm = z.strictObject({ findingId: text(100), attributes: z.unknown() });
  // 10,000 levels are 20 kB of JSON, well under the body limit; the walks recurse, and overflowed the stack (a 500).
  const nested = (levels: number) => `${"[".repeat(levels)}${"]".repeat(levels)}`;

  it("refuses nesting deeper than 100 levels, naming where it goes too deep", () => {
    const refusal = fieldsRefused(() => parseOrRefuse(WithFreeForm, JSON.parse(`{"findingId":"F-1","attributes":${nested(10_000)}}`)));
    expect(refusal).toEqual([{ field: `attributes${"[0]".repeat(99)}`, message: "nests deeper than 100 levels" }]);
  });

  it("refuses it as well when zod cannot measure a length beside it", () => {
    const body = JSON.parse(`{"findingId":{"length":{"toString":""}},"attributes":${nested(5_000)}}`);
    expect(fieldsRefused(() => parseOrRefuse(WithFreeForm, body))).toEqual([{ field: `attributes${"[0]".repeat(99)}`, message: "nests deeper than 100 levels" }]);
  });

  it("takes 100 levels", () => {
    expect(parseOrRefuse(WithFreeForm, JSON.parse(`{"findingId":"F-1","attributes":${nested(99)}}`))).toMatchObject({ findingId: "F-1" });
  });
});
