import { createHash } from "node:crypto";
import { describe, expect, it } from "vitest";
import { EventTypes, events } from "@oms/contracts";
import type { AccessCaller } from "./access.ts";
import {
  addYears,
  assertDisposable,
  changeHold,
  disposalIdsOf,
  disposalOf,
  dossierDigest,
  endsTheOrder,
  isDue,
  isRepeatOfLastHoldStep,
  openMattersOf,
  retainUntil,
  type RetainedDossier,
} from "./retention.ts";

const auditor: AccessCaller = { kind: "staff", id: "au-1", role: "auditor" };
const manager: AccessCaller = { kind: "staff", id: "m-1", role: "store-manager" };
const closedAt = new Date("2026-03-01T08:00:00Z");
const dossier = (more: Partial<RetainedDossier> = {}): RetainedDossier => ({
  orderId: "o-1",
  storeId: "store-a",
  firstEventAt: new Date("2026-02-27T08:00:00Z"),
  lastEventAt: closedAt,
  entryCount: 2,
  endedAt: closedAt,
  held: false,
  ...more,
});
const code = (fn: () => unknown) => {
  try {
    fn();
  } catch (error) {
    return `${(error as Error).constructor.name} ${(error as { code?: string }).code}`;
  }
  return "no error";
};
const statusChange = (toStatus: string) => ({ eventType: EventTypes.OrderStatusChanged, payload: events.OrderStatusChanged.encode(events.OrderStatusChanged.fromPartial({ fromStatus: "settled", toStatus })).finish() });

describe("what ends an order", () => {
  it("is a change to closed, cancelled or rejected, a cancellation, or a rejection at review", () => {
    for (const status of ["closed", "cancelled", "rejected"]) expect(endsTheOrder(statusChange(status))).toBe(true);
    for (const status of ["settled", "delivered", "on-hold", ""]) expect(endsTheOrder(statusChange(status))).toBe(false);
    expect(endsTheOrder({ eventType: EventTypes.OrderCancelled, payload: new Uint8Array() })).toBe(true);
    expect(endsTheOrder({ eventType: EventTypes.OrderReviewRejected, payload: new Uint8Array() })).toBe(true);
    expect(endsTheOrder({ eventType: EventTypes.OrderReceived, payload: new Uint8Array() })).toBe(false);
  });

  it("is nothing when a status change cannot be read: the dossier is kept rather than disposed of early", () => {
    expect(endsTheOrder({ eventType: EventTypes.OrderStatusChanged, payload: Buffer.from([0xff, 0xff, 0xff]) })).toBe(false);
  });
});

describe("how long a dossier is kept", () => {
  it("has no end while the order has not ended", () => {
    expect(retainUntil(dossier({ endedAt: undefined }), 30)).toBeUndefined();
    expect(isDue(dossier({ endedAt: undefined }), 30, new Date("2100-01-01T00:00:00Z"))).toBe(false);
  });

  it("runs the retention years from the order's end", () => {
    expect(retainUntil(dossier(), 30)).toEqual(new Date("2056-03-01T08:00:00Z"));
    expect(retainUntil(dossier(), 1)).toEqual(new Date("2027-03-01T08:00:00Z"));
  });

  it("runs from a later entry instead: an after-sales case or a dispute after closing moves the start", () => {
    const disputed = dossier({ lastEventAt: new Date("2027-06-15T10:30:00Z") });
    expect(retainUntil(disputed, 30)).toEqual(new Date("2057-06-15T10:30:00Z"));
  });

  it("adds calendar years in UTC", () => {
    expect(addYears(new Date("2024-02-29T12:00:00Z"), 1)).toEqual(new Date("2025-03-01T12:00:00Z"));
    expect(addYears(new Date("2024-02-29T12:00:00Z"), -4)).toEqual(new Date("2020-02-29T12:00:00Z"));
  });

  it("is due from retain_until on, unless held", () => {
    const until = new Date("2056-03-01T08:00:00Z");
    expect(isDue(dossier(), 30, new Date(until.getTime() - 1))).toBe(false);
    expect(isDue(dossier(), 30, until)).toBe(true);
    expect(isDue(dossier({ held: true }), 30, new Date("2100-01-01T00:00:00Z"))).toBe(false);
  });
});

describe("a legal hold", () => {
  const now = new Date("2030-01-01T00:00:00Z");
  const hold = { caller: auditor, matter: "", reason: "  tax audit 2029  ", now, correlationId: "corr-1" };
  const record = (action: "hold" | "release", matter: string) => ({ ...changeHold(dossier(), action === "hold" ? [] : [matter], action, { ...hold, matter }) });

  it("is put on by an auditor, with a reason, and recorded: who, when, why, for which matter", () => {
    expect(changeHold(dossier(), [], "hold", hold)).toEqual({ orderId: "o-1", action: "hold", matter: "", actor: "staff:au-1", actorRole: "auditor", reason: "tax audit 2029", at: now, correlationId: "corr-1" });
    expect(changeHold(dossier({ held: true }), [""], "release", { ...hold, reason: "audit closed" })).toMatchObject({ action: "release", matter: "", reason: "audit closed" });
    expect(changeHold(dossier(), [], "hold", { ...hold, matter: "  (2030) Hu 0105 Min Chu 77  " })).toMatchObject({ matter: "(2030) Hu 0105 Min Chu 77" });
  });

  it("is refused to others, without a reason, for a matter already holding it, and released only for a matter that holds it", () => {
    expect(code(() => changeHold(dossier(), [], "hold", { ...hold, caller: manager }))).toBe("ForbiddenError caller.not-permitted");
    expect(code(() => changeHold(dossier(), [], "hold", { ...hold, caller: undefined }))).toBe("UnauthenticatedError caller.missing");
    expect(code(() => changeHold(dossier(), [], "hold", { ...hold, reason: "  " }))).toBe("ValidationError validation.failed");
    expect(code(() => changeHold(dossier(), [], "hold", { ...hold, reason: "x".repeat(501) }))).toBe("ValidationError validation.failed");
    expect(code(() => changeHold(dossier(), [], "hold", { ...hold, matter: "m".repeat(101) }))).toBe("ValidationError validation.failed");
    expect(code(() => changeHold(dossier({ held: true }), [""], "hold", hold))).toBe("IllegalStateError archive.dossier-already-held");
    expect(code(() => changeHold(dossier({ held: true }), ["case A"], "hold", { ...hold, matter: " case A " }))).toBe("IllegalStateError archive.dossier-already-held");
    expect(code(() => changeHold(dossier(), [], "release", hold))).toBe("IllegalStateError archive.dossier-not-held");
  });

  it("is held by several matters at once, each released on its own; a release naming none never lifts a named one", () => {
    expect(changeHold(dossier({ held: true }), ["case A"], "hold", { ...hold, matter: "tax audit" })).toMatchObject({ action: "hold", matter: "tax audit" });
    expect(code(() => changeHold(dossier({ held: true }), ["case A", "tax audit"], "release", hold))).toBe("IllegalStateError archive.hold-matter-not-open");
    expect(code(() => changeHold(dossier({ held: true }), ["case A"], "release", { ...hold, matter: "case B" }))).toBe("IllegalStateError archive.hold-matter-not-open");
    expect(changeHold(dossier({ held: true }), ["case A", "tax audit"], "release", { ...hold, matter: "tax audit" })).toMatchObject({ action: "release", matter: "tax audit" });
  });

  it("tells a retry of the matter's last step — same action, person and reason — from a step of its own", () => {
    const held = record("hold", "case A");
    expect(isRepeatOfLastHoldStep([held], "hold", { ...hold, matter: " case A " })).toBe(true);
    expect(isRepeatOfLastHoldStep([held], "hold", { ...hold, matter: "case A", reason: "another reason" })).toBe(false);
    expect(isRepeatOfLastHoldStep([held], "hold", { ...hold, matter: "case A", caller: { kind: "staff", id: "au-2", role: "auditor" } })).toBe(false);
    expect(isRepeatOfLastHoldStep([held], "release", { ...hold, matter: "case A" })).toBe(false);
    expect(isRepeatOfLastHoldStep([held, record("release", "case A")], "hold", { ...hold, matter: "case A" })).toBe(false);
    expect(isRepeatOfLastHoldStep([held], "hold", { ...hold, matter: "case B" })).toBe(false);
  });

  it("counts as open the matters whose last record is a hold, in the order they were put on", () => {
    expect(openMattersOf([])).toEqual([]);
    const history = [record("hold", "case A"), record("hold", ""), record("hold", "tax audit"), record("release", "case A"), record("release", "")];
    expect(openMattersOf(history)).toEqual(["tax audit"]);
    expect(openMattersOf([...history, record("hold", "case A")])).toEqual(["tax audit", "case A"]);
  });
});

describe("disposing of a dossier", () => {
  const due = new Date("2056-03-01T08:00:00Z");
  const entries = [
    { eventId: "e-1", sealed: Buffer.from([1, 2, 3]) },
    { eventId: "e-2", sealed: Buffer.from([4, 5]) },
  ];
  const decision = { disposalId: "d-1", caller: auditor, reason: "past retention", now: due, correlationId: "corr-9", years: 30 };

  it("is refused while not ended, before retain_until and while held, naming why", () => {
    expect(code(() => assertDisposable(dossier({ endedAt: undefined }), 30, due))).toBe("IllegalStateError archive.retention-not-ended");
    expect(code(() => assertDisposable(dossier(), 30, new Date(due.getTime() - 1)))).toBe("IllegalStateError archive.retention-not-due");
    expect(code(() => assertDisposable(dossier({ held: true }), 30, due))).toBe("IllegalStateError archive.dossier-held");
    expect(code(() => disposalOf(dossier(), entries.slice(0, 1), decision))).toBe("IllegalStateError archive.dossier-count-mismatch");
  });

  it("records what was destroyed, its digest, who decided, when and why", () => {
    expect(disposalOf(dossier(), entries, decision)).toEqual({
      disposalId: "d-1",
      orderId: "o-1",
      storeId: "store-a",
      firstEventAt: new Date("2026-02-27T08:00:00Z"),
      lastEventAt: closedAt,
      endedAt: closedAt,
      retainUntil: due,
      entryCount: 2,
      digest: dossierDigest(entries),
      decidedBy: "staff:au-1",
      deciderRole: "auditor",
      reason: "past retention",
      disposedAt: due,
      correlationId: "corr-9",
    });
  });

  it("digests the sealed entries in order, each length-prefixed, so it can be recomputed from a copy", () => {
    const expected = createHash("sha256")
      .update(Buffer.from([0, 0, 0, 3]))
      .update("e-1")
      .update(Buffer.from([0, 0, 0, 3, 1, 2, 3]))
      .update(Buffer.from([0, 0, 0, 3]))
      .update("e-2")
      .update(Buffer.from([0, 0, 0, 2, 4, 5]))
      .digest("hex");
    expect(dossierDigest(entries)).toBe(`sha256:${expected}`);
    expect(dossierDigest([...entries].reverse())).not.toBe(dossierDigest(entries));
    // Moving a byte from one entry to the next changes it: the lengths are part of what is hashed.
    expect(dossierDigest([{ eventId: "e-1", sealed: Buffer.from([1, 2]) }, { eventId: "e-2", sealed: Buffer.from([3, 4, 5]) }])).not.toBe(dossierDigest(entries));
  });

  it("names 1 to 500 orders, each once, none empty", () => {
    expect(disposalIdsOf(["o-1", "o-2"])).toEqual(["o-1", "o-2"]);
    const fields = (ids: string[]) => {
      try {
        disposalIdsOf(ids);
      } catch (error) {
        return (error as { fields: { field: string }[] }).fields.map((f) => f.field);
      }
      return [];
    };
    expect(fields([])).toEqual(["orderIds"]);
    expect(fields(Array.from({ length: 501 }, (_, i) => `o-${i}`))).toEqual(["orderIds"]);
    expect(fields(["o-1", " ", "o-1"])).toEqual(["orderIds[1]", "orderIds[2]"]);
  });
});
