import { describe, expect, it } from "vitest";
import { backupsToPrune } from "./retention.ts";

const now = new Date("2026-12-07T06:00:00Z");
const daysAgo = (name: string, days: number) => ({ name, takenAt: new Date(now.getTime() - days * 86_400_000) });
const backups = [daysAgo("b2", 2), daysAgo("b40", 40), daysAgo("b10", 10), daysAgo("b0", 0)];

describe("which backups a prune removes", () => {
  it("removes those older than keep-days, oldest first", () => {
    expect(backupsToPrune(backups, { keepDays: 7 }, now)).toEqual(["b40", "b10"]);
  });

  it("never removes the newest by age alone, however old it is", () => {
    expect(backupsToPrune([daysAgo("old", 400), daysAgo("older", 500)], { keepDays: 30 }, now)).toEqual(["older"]);
  });

  it("keeps the newest N whatever their age when --keep is given", () => {
    expect(backupsToPrune(backups, { keepDays: 1, keep: 3 }, now)).toEqual(["b40"]);
    expect(backupsToPrune(backups, { keep: 2 }, now)).toEqual(["b40", "b10"]);
  });

  it("removes nothing when every backup is young enough or there are none", () => {
    expect(backupsToPrune(backups, { keepDays: 60 }, now)).toEqual([]);
    expect(backupsToPrune([], { keep: 1 }, now)).toEqual([]);
  });
});
