import { describe, expect, it } from "vitest";
import { chaseAfterReversal, dueByOf, isOverdue, shouldAnnounceOverdue } from "./carrier-recovery-overdue.ts";

describe("a recovery overdue", () => {
  const settledAt = new Date("2026-11-01T10:00:00Z");
  const dueBy = dueByOf(settledAt, 30);

  it("is due in full the set number of days after its settlement, fractions of a day too", () => {
    expect(dueBy.toISOString()).toBe("2026-12-01T10:00:00.000Z");
    expect(dueByOf(settledAt, 0.5).toISOString()).toBe("2026-11-01T22:00:00.000Z");
  });

  it("is overdue once its due-by time passes without full payment", () => {
    expect(isOverdue({ dueMinor: 8_000, receivedMinor: 3_000, dueBy }, new Date("2026-11-30T10:00:00Z"))).toBe(false);
    expect(isOverdue({ dueMinor: 8_000, receivedMinor: 3_000, dueBy }, dueBy)).toBe(true);
    expect(isOverdue({ dueMinor: 8_000, receivedMinor: 8_000, dueBy }, new Date("2027-01-01T00:00:00Z"))).toBe(false);
  });

  it("is announced once per stretch it owes, and only when not paid in full by then", () => {
    expect(shouldAnnounceOverdue({ dueMinor: 8_000, receivedMinor: 3_000, owedStretch: 1, overdueAnnouncedStretch: 0 })).toBe(true);
    expect(shouldAnnounceOverdue({ dueMinor: 8_000, receivedMinor: 3_000, owedStretch: 1, overdueAnnouncedStretch: 1 })).toBe(false);
    expect(shouldAnnounceOverdue({ dueMinor: 8_000, receivedMinor: 8_000, owedStretch: 1, overdueAnnouncedStretch: 0 })).toBe(false);
    // Owing again after a reversal: the new stretch is announced, though the first one was (or was not).
    expect(shouldAnnounceOverdue({ dueMinor: 8_000, receivedMinor: 3_000, owedStretch: 2, overdueAnnouncedStretch: 1 })).toBe(true);
    expect(shouldAnnounceOverdue({ dueMinor: 8_000, receivedMinor: 3_000, owedStretch: 2, overdueAnnouncedStretch: 0 })).toBe(true);
    expect(shouldAnnounceOverdue({ dueMinor: 8_000, receivedMinor: 3_000, owedStretch: 2, overdueAnnouncedStretch: 2 })).toBe(false);
  });
});

describe("a reversal that leaves a recovery owing", () => {
  const dueBy = new Date("2026-12-01T10:00:00Z");
  const paidInFull = { dueMinor: 8_000, receivedMinor: 8_000, owedStretch: 1, overdueAnnouncedStretch: 0, dueBy };

  it("starts a new stretch chased at once when its due-by time has passed: it is overdue the moment it owes", () => {
    const now = new Date("2026-12-05T09:00:00Z");
    expect(chaseAfterReversal(paidInFull, 3_000, now)).toEqual({ owedStretch: 2, dueAt: now });
    expect(chaseAfterReversal({ ...paidInFull, owedStretch: 2, overdueAnnouncedStretch: 2 }, 0, now)).toEqual({ owedStretch: 3, dueAt: now });
  });

  it("starts a new stretch chased at its due-by time when that is still ahead", () => {
    expect(chaseAfterReversal(paidInFull, 3_000, new Date("2026-11-20T00:00:00Z"))).toEqual({ owedStretch: 2, dueAt: dueBy });
  });

  it("starts nothing when the recovery owed already: that stretch is chased or announced", () => {
    const owing = { ...paidInFull, receivedMinor: 5_000, overdueAnnouncedStretch: 1 };
    expect(chaseAfterReversal(owing, 2_000, new Date("2026-12-05T09:00:00Z"))).toBeUndefined();
  });
});
