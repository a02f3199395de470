import { describe, expect, it } from "vitest";
import { ValidationError } from "@oms/errors";
import { chainWide, type StoreScope } from "@oms/identity";
import { flagContactVisibility, flagRaisedAt, maskedFlagContact } from "./flag-visibility.ts";

const heldTo = (...stores: string[]): StoreScope => ({ kind: "stores", stores: new Set(stores) });

const refusedOn = (run: () => unknown) => {
  try {
    run();
  } catch (error) {
    expect(error).toBeInstanceOf(ValidationError);
    return (error as ValidationError).fields;
  }
  throw new Error("not refused");
};

describe("who sees a flagged customer's contact", () => {
  it("shows chain-wide staff every contact, whichever store raised the flag or none", () => {
    expect(flagContactVisibility(chainWide, "store-a")).toBe("full");
    expect(flagContactVisibility(chainWide, undefined)).toBe("full");
  });

  it("shows staff held to stores only the contacts of flags raised at one of their stores", () => {
    expect(flagContactVisibility(heldTo("store-a"), "store-a")).toBe("full");
    expect(flagContactVisibility(heldTo("store-b", "store-a"), "store-a")).toBe("full");
    expect(flagContactVisibility(heldTo("store-b"), "store-a")).toBe("masked");
  });

  it("masks a chain-level or older flag (no store) to staff held to stores", () => {
    expect(flagContactVisibility(heldTo("store-a"), undefined)).toBe("masked");
  });
});

describe("masking a flagged contact", () => {
  it("keeps a phone's last four digits behind a fixed run of stars, whatever its spelling or length", () => {
    expect(maskedFlagContact({ phone: "+86 138-0013-8000" })).toEqual({ phone: "*******8000" });
    expect(maskedFlagContact({ phone: "021 5555 1234" })).toEqual({ phone: "*******1234" });
  });

  it("keeps an e-mail's domain only", () => {
    expect(maskedFlagContact({ email: "Zhou.Lan@Example.cn" })).toEqual({ email: "***@Example.cn" });
    expect(JSON.stringify(maskedFlagContact({ email: "zhou.lan@example.cn" }))).not.toContain("zhou");
  });
});

describe("the store a flag is raised at", () => {
  it("is the one store of staff held to one, named or not", () => {
    expect(flagRaisedAt(heldTo("store-a"), undefined)).toBe("store-a");
    expect(flagRaisedAt(heldTo("store-a"), "store-a")).toBe("store-a");
  });

  it("must be named, and be theirs, for staff held to several", () => {
    expect(flagRaisedAt(heldTo("store-a", "store-b"), "store-b")).toBe("store-b");
    expect(refusedOn(() => flagRaisedAt(heldTo("store-a", "store-b"), undefined))).toEqual([
      { field: "storeId", message: "is required: name the store of yours the flag is raised at" },
    ]);
    expect(refusedOn(() => flagRaisedAt(heldTo("store-a"), "store-c"))).toEqual([{ field: "storeId", message: "is not one of your stores" }]);
  });

  it("is none for staff working chain-wide, who may not name one", () => {
    expect(flagRaisedAt(chainWide, undefined)).toBeUndefined();
    expect(refusedOn(() => flagRaisedAt(chainWide, "store-a"))).toEqual([
      { field: "storeId", message: "staff working chain-wide raise flags for the whole chain: name no store" },
    ]);
  });
});
