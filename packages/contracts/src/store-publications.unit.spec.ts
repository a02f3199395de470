import { describe, expect, it } from "vitest";
import { isNewerPublication, newestPerStore } from "./store-publications.ts";

describe("the version rule of stores' publications", () => {
  it("applies only a newer version: the same one (a re-delivery) or an older one (a replay) changes nothing", () => {
    expect(isNewerPublication(0, 1)).toBe(true);
    expect(isNewerPublication(3, 4)).toBe(true);
    expect(isNewerPublication(3, 3)).toBe(false);
    expect(isNewerPublication(3, 2)).toBe(false);
  });

  it("keeps each store's newest publication of those heard together, whatever order they came in", () => {
    const heard = [
      { storeId: "a", version: 2, tag: "a2" },
      { storeId: "b", version: 1, tag: "b1" },
      { storeId: "a", version: 3, tag: "a3" },
      { storeId: "a", version: 1, tag: "a1" },
      { storeId: "b", version: 1, tag: "b1 again" },
    ];
    expect(newestPerStore(heard).map((p) => p.tag)).toEqual(["a3", "b1"]);
    expect(newestPerStore([])).toEqual([]);
  });
});
