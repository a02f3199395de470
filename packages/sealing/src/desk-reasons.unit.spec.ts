import { randomBytes } from "node:crypto";
import { describe, expect, it } from "vitest";
import { deskReasonsFromEnv, storedReasonOf, WAREHOUSE_PERSONAL_DATA_KEYS_VARIABLE } from "./desk-reasons.ts";

const ring = (keyId: string) => ({ [WAREHOUSE_PERSONAL_DATA_KEYS_VARIABLE]: `${keyId}:${randomBytes(32).toString("base64")}` });

describe("the desk's reasons on the warehouse's events", () => {
  it("open for the same case and step only, under the ring both services hold", () => {
    const env = ring("wh1");
    const { reasons: warehouse, development } = deskReasonsFromEnv(env);
    expect(development).toBe(false);
    const sealed = warehouse.seal("return-call-off", "case-1", "Mrs Li, 138 0013 8000, kept it");
    expect(sealed.toString("latin1")).not.toContain("138");
    const { reasons: afterSales } = deskReasonsFromEnv(env);
    expect(afterSales.toShow("return-call-off", "case-1", { sealed })).toBe("Mrs Li, 138 0013 8000, kept it");
    expect(() => afterSales.toShow("return-call-off", "case-2", { sealed })).toThrow(expect.objectContaining({ code: "sealing.tampered" }));
    expect(() => afterSales.toShow("replacement-move", "case-1", { sealed })).toThrow(expect.objectContaining({ code: "sealing.tampered" }));
    // A service without the warehouse's key shows it empty rather than fail the case.
    expect(deskReasonsFromEnv(ring("other")).reasons.toShow("return-call-off", "case-1", { sealed })).toBe("");
  });

  it("read an event from before the sealing by its clear reason, a sealed one by its seal", () => {
    expect(storedReasonOf({ reason: "parcel lost", sealedReason: new Uint8Array() })).toEqual({ clear: "parcel lost" });
    const sealed = new Uint8Array([1, 2, 3]);
    expect(storedReasonOf({ reason: "", sealedReason: sealed })).toEqual({ sealed });
    expect(deskReasonsFromEnv({}).development).toBe(true);
  });
});
