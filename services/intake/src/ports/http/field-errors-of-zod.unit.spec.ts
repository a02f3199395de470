import { describe, expect, it } from "vitest";
import { halfCharacterPaths } from "./field-errors-of-zod.ts";

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
