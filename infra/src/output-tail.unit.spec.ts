import { describe, expect, it } from "vitest";
import { OutputTail } from "./output-tail.ts";

describe("a child's last lines of output", () => {
  it("keeps only the newest lines, joins a line split across chunks and skips blank ones", () => {
    const tail = new OutputTail(2);
    tail.push("one\ntw");
    tail.push("o\n\nthree\n");
    expect(tail.lines()).toEqual(["two", "three"]);
  });

  it("shows an unfinished last line and cuts long lines", () => {
    const tail = new OutputTail(5, 4);
    tail.push("abcdefgh\nxy");
    expect(tail.lines()).toEqual(["abcd…", "xy"]);
  });

  it("describes nothing when the child wrote nothing, and its lines under a heading otherwise", () => {
    const tail = new OutputTail();
    expect(tail.describe()).toBe("");
    tail.push('{"msg":"migrations applied"}\n');
    expect(tail.describe()).toBe('\n--- its last 1 line(s) of output ---\n{"msg":"migrations applied"}');
  });
});
