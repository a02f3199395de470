import { describe, expect, it } from "vitest";
import type { VerifiedCaller } from "./claims.ts";
import { RememberedTokens, usableWindowOf } from "./remembered-tokens.ts";

const t0 = 1_800_000_000;
const at = (seconds: number, ms = 0) => seconds * 1000 + ms;
const callerNamed = (id: string): VerifiedCaller => ({ actor: { kind: "staff", id, role: "finance" }, scope: { kind: "chain" }, issuedAt: t0 });
const keySet = { keys: [] };

describe("when a verified token may be answered from memory", () => {
  it("from the moment it was verified until its exp, the clock tolerance left to a full verification", () => {
    expect(usableWindowOf({ iat: t0, exp: t0 + 600 }, at(t0 + 5, 300), 86_400)).toEqual({ fromMs: at(t0 + 5, 300), untilMs: at(t0 + 600) });
  });

  it("until iat plus the maximum age when that comes first, however late it expires", () => {
    expect(usableWindowOf({ iat: t0, exp: t0 + 10 * 86_400 }, at(t0 + 5), 3_600).untilMs).toBe(at(t0 + 3_600));
  });
});

describe("remembered tokens", () => {
  const window = usableWindowOf({ iat: t0, exp: t0 + 60 }, at(t0 + 10), 86_400);

  it("answer the very token verified, and nothing else", () => {
    const memory = new RememberedTokens(10);
    memory.remember("h.p.s", callerNamed("s-1"), window, keySet);
    expect(memory.recall("h.p.s", at(t0 + 11), keySet)?.actor.id).toBe("s-1");
    for (const other of ["h.p.s2", "h.p.", "H.p.s", " h.p.s", "h.p"]) expect(memory.recall(other, at(t0 + 11), keySet), other).toBeUndefined();
  });

  it("are never answered at or after exp or the maximum age, judged at use time, and are forgotten then", () => {
    const memory = new RememberedTokens(10);
    memory.remember("t", callerNamed("s-1"), window, keySet);
    expect(memory.recall("t", at(t0 + 59, 999), keySet)).toBeDefined();
    expect(memory.recall("t", at(t0 + 60), keySet)).toBeUndefined();
    expect(memory.size).toBe(0);
    const aged = new RememberedTokens(10);
    aged.remember("t", callerNamed("s-1"), usableWindowOf({ iat: t0, exp: t0 + 86_400 }, at(t0 + 10), 30), keySet);
    expect(aged.recall("t", at(t0 + 29, 999), keySet)).toBeDefined();
    expect(aged.recall("t", at(t0 + 30), keySet)).toBeUndefined();
  });

  it("are not answered before the moment they were verified: a clock stepped back is verified in full", () => {
    const memory = new RememberedTokens(10);
    memory.remember("t", callerNamed("s-1"), window, keySet);
    expect(memory.recall("t", at(t0 + 9, 999), keySet)).toBeUndefined();
  });

  it("are all forgotten when the key set is another than the one they were verified with", () => {
    const memory = new RememberedTokens(10);
    memory.remember("a", callerNamed("s-1"), window, keySet);
    memory.remember("b", callerNamed("s-2"), window, keySet);
    const refetched = { keys: [] };
    expect(memory.recall("a", at(t0 + 11), refetched)).toBeUndefined();
    expect(memory.size).toBe(0);
    // …and the old set does not bring them back.
    expect(memory.recall("b", at(t0 + 11), keySet)).toBeUndefined();
  });

  it("keep at most their capacity, the least recently used going first", () => {
    const memory = new RememberedTokens(2);
    memory.remember("a", callerNamed("s-1"), window, keySet);
    memory.remember("b", callerNamed("s-2"), window, keySet);
    expect(memory.recall("a", at(t0 + 11), keySet)).toBeDefined();
    memory.remember("c", callerNamed("s-3"), window, keySet);
    expect(memory.size).toBe(2);
    expect(memory.recall("b", at(t0 + 11), keySet)).toBeUndefined();
    expect(memory.recall("a", at(t0 + 11), keySet)).toBeDefined();
    expect(memory.recall("c", at(t0 + 11), keySet)).toBeDefined();
  });

  it("remember nothing with no capacity, nor a token whose window is already over", () => {
    const none = new RememberedTokens(0);
    none.remember("a", callerNamed("s-1"), window, keySet);
    expect(none.size).toBe(0);
    const memory = new RememberedTokens(10);
    // Verified within the clock tolerance after its exp: accepted, but verified in full every time.
    memory.remember("late", callerNamed("s-1"), usableWindowOf({ iat: t0, exp: t0 + 60 }, at(t0 + 70), 86_400), keySet);
    expect(memory.size).toBe(0);
  });

  it("hand out a caller nobody can change for the next request", () => {
    const memory = new RememberedTokens(10);
    memory.remember("t", callerNamed("s-1"), window, keySet);
    const caller = memory.recall("t", at(t0 + 11), keySet)!;
    expect(() => Object.assign(caller.actor, { role: "auditor" })).toThrow(TypeError);
    expect(memory.recall("t", at(t0 + 11), keySet)?.actor.role).toBe("finance");
  });
});
