import { describe, expect, it } from "vitest";
import { packBytes, packTexts } from "./packed-bytes.ts";

describe("packBytes", () => {
  it("packs values end to end with 1-based starts and lengths that cut each one out again", () => {
    const values = [Buffer.from([1, 2, 3]), Buffer.alloc(0), Buffer.from([4]), new Uint8Array([5, 6])];
    const packed = packBytes(values);
    expect(packed.starts).toEqual([1, 4, 4, 5]);
    expect(packed.lengths).toEqual([3, 0, 1, 2]);
    // What substring(bytes FROM start FOR length) returns, in JavaScript's 0-based terms.
    const cut = packed.starts.map((start, i) => packed.bytes.subarray(start - 1, start - 1 + packed.lengths[i]!));
    expect(cut.map((b) => [...b])).toEqual(values.map((v) => [...v]));
  });

  it("packs nothing into an empty parameter", () => {
    expect(packBytes([])).toEqual({ bytes: Buffer.alloc(0), starts: [], lengths: [] });
  });
});

describe("packTexts", () => {
  it("packs texts as UTF-8 with byte offsets, so characters of two and four bytes cut out whole", () => {
    const values = ['{"note":"tea \\"strong\\""}', "", "北京 🫖", "x"];
    const packed = packTexts(values);
    expect(packed.lengths).toEqual(values.map((v) => Buffer.byteLength(v)));
    expect(packed.starts).toEqual([1, 26, 26, 37]);
    const cut = packed.starts.map((start, i) => packed.bytes.subarray(start - 1, start - 1 + packed.lengths[i]!).toString("utf8"));
    expect(cut).toEqual(values);
  });

  it("packs nothing into an empty parameter", () => {
    expect(packTexts([])).toEqual({ bytes: Buffer.alloc(0), starts: [], lengths: [] });
  });
});
