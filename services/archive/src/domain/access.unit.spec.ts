import { describe, expect, it } from "vitest";
import { ForbiddenError, NotFoundError, UnauthenticatedError, ValidationError } from "@oms/errors";
import { accessRequestNotFound, askForAccess, assertMayView, decideOnAccess, isRepeatOfRequest, type AccessCaller, type AccessRequest } from "./access.ts";

const agent: AccessCaller = { kind: "staff", id: "cs-1", role: "customer-service" };
const auditor: AccessCaller = { kind: "staff", id: "au-1", role: "auditor" };
const now = new Date("2026-12-06T10:00:00Z");
const day = 24 * 3600_000;

const ask = (more: Partial<Parameters<typeof askForAccess>[0]> = {}) => askForAccess({ requestId: "r-1", orderId: "o-1", caller: agent, reason: "complaint about a late delivery", now, ...more });
const decide = (request: AccessRequest, more: Partial<Parameters<typeof decideOnAccess>[1]> = {}) =>
  decideOnAccess(request, { caller: auditor, approve: true, note: "", now, validForMs: day, ...more });
const code = (fn: () => unknown) => {
  try {
    fn();
  } catch (error) {
    return `${(error as Error).constructor.name} ${(error as { code?: string }).code}`;
  }
  return "no error";
};

describe("asking to view a dossier", () => {
  it("records who asked, as what, why and when, pending a decision", () => {
    expect(ask()).toEqual({
      requestId: "r-1",
      orderId: "o-1",
      requestedBy: "staff:cs-1",
      requesterRole: "customer-service",
      reason: "complaint about a late delivery",
      requestedAt: now,
      status: "pending",
    });
  });

  it("is made under the asker's own id: a retry repeats it, the id for another order, asker or reason is refused", () => {
    expect(() => ask({ requestId: " " })).toThrow(/requestId: is required/);
    expect(isRepeatOfRequest(ask(), ask({ now: new Date(now.getTime() + 5_000) }))).toBe(true);
    expect(code(() => isRepeatOfRequest(ask({ reason: "audit" }), ask()))).toBe("ConflictError archive.access-request-id-taken");
    expect(code(() => isRepeatOfRequest(ask({ orderId: "o-2" }), ask()))).toBe("ConflictError archive.access-request-id-taken");
    expect(code(() => isRepeatOfRequest(ask({ caller: { ...agent, id: "cs-2" } }), ask()))).toBe("ConflictError archive.access-request-id-taken");
  });

  it("is for staff whose work needs the records, with a reason", () => {
    expect(() => ask({ caller: undefined })).toThrow(UnauthenticatedError);
    expect(code(() => ask({ caller: { kind: "customer", id: "c-1", role: "customer" } }))).toBe("ForbiddenError caller.not-permitted");
    expect(code(() => ask({ caller: { kind: "staff", id: "r-9", role: "rider" } }))).toBe("ForbiddenError caller.not-permitted");
    expect(() => ask({ reason: "  " })).toThrow(ValidationError);
    expect(() => ask({ reason: "x".repeat(501) })).toThrow(/at most 500/);
  });
});

describe("deciding on a request", () => {
  it("approves for a day, by an auditor or a store manager", () => {
    expect(decide(ask())).toMatchObject({ status: "approved", decidedBy: "staff:au-1", decidedAt: now, validUntil: new Date(now.getTime() + day) });
    const manager = { kind: "staff", id: "m-1", role: "store-manager" };
    expect(decide(ask(), { caller: manager, approve: false, note: "no complaint on file" })).toMatchObject({ status: "refused", note: "no complaint on file" });
    expect(decide(ask(), { caller: manager, approve: false, note: "no" }).validUntil).toBeUndefined();
  });

  it("is never by the person who asked, nor by anyone without the role, nor twice", () => {
    const own = ask({ caller: { kind: "staff", id: "au-1", role: "auditor" } });
    expect(code(() => decide(own))).toBe("ForbiddenError archive.access-own-request");
    expect(code(() => decide(ask(), { caller: { kind: "staff", id: "d-1", role: "dispatcher" } }))).toBe("ForbiddenError caller.not-permitted");
    expect(code(() => decide(decide(ask())))).toBe("IllegalStateError archive.access-already-decided");
  });

  it("approves nothing that waited over a week: the need it states has gone stale, and the asker asks again", () => {
    const aWeekOn = new Date(now.getTime() + 7 * day);
    expect(decide(ask(), { now: aWeekOn })).toMatchObject({ status: "approved" });
    expect(code(() => decide(ask(), { now: new Date(aWeekOn.getTime() + 1) }))).toBe("IllegalStateError archive.access-request-lapsed");
    expect(decide(ask(), { now: new Date(aWeekOn.getTime() + 1), approve: false, note: "stale" })).toMatchObject({ status: "refused" });
  });

  it("needs a note to refuse", () => {
    expect(() => decide(ask(), { approve: false, note: " " })).toThrow(ValidationError);
  });
});

describe("viewing on a request", () => {
  const approved = decide(ask());

  it("lets the person who asked view that order's dossier while the approval lasts", () => {
    expect(assertMayView(approved, "o-1", agent, new Date(now.getTime() + day - 1))).toEqual(agent);
  });

  it("refuses anyone else, another order, a request not approved, and a lapsed one", () => {
    // Someone else's request tells them nothing, not even that it exists: answered as a request nobody made (twenty-eighth session).
    const unknown = accessRequestNotFound(approved.requestId);
    expect(unknown).toBeInstanceOf(NotFoundError);
    expect(`${unknown.code}: ${unknown.message}`).toBe(`archive.access-request-not-found: no access request ${approved.requestId}`);
    expect(code(() => assertMayView(approved, "o-1", { ...agent, id: "cs-2" }, now))).toBe("NotFoundError archive.access-request-not-found");
    expect(() => assertMayView(approved, "o-1", { ...agent, id: "cs-2" }, now)).toThrow(unknown.message);
    expect(code(() => assertMayView(approved, "o-2", { ...agent, id: "cs-2" }, now))).toBe("NotFoundError archive.access-request-not-found");
    expect(() => assertMayView(approved, "o-2", agent, now)).toThrow(ValidationError);
    expect(code(() => assertMayView(ask(), "o-1", agent, now))).toBe("IllegalStateError archive.access-not-approved");
    expect(code(() => assertMayView(decide(ask(), { approve: false, note: "no" }), "o-1", agent, now))).toBe("IllegalStateError archive.access-not-approved");
    expect(code(() => assertMayView(approved, "o-1", agent, new Date(now.getTime() + day)))).toBe("IllegalStateError archive.access-lapsed");
    expect(() => assertMayView(approved, "o-1", undefined, now)).toThrow(UnauthenticatedError);
    expect(() => assertMayView(approved, "o-1", { kind: "customer", id: "cs-1", role: "customer-service" }, now)).toThrow(ForbiddenError);
  });
});
