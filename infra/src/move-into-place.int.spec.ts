import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { moveIntoPlaceUnlessThere } from "./move-into-place.ts";

const scratch: string[] = [];
afterEach(() => {
  for (const dir of scratch.splice(0)) rmSync(dir, { recursive: true, force: true });
});

/** A scratch folder with a filled staging directory in it. */
function stagedCopy(marker: string) {
  const root = mkdtempSync(path.join(tmpdir(), "oms-move-"));
  scratch.push(root);
  const staging = path.join(root, "libs.tmp");
  mkdirSync(staging);
  writeFileSync(path.join(staging, ".complete"), marker);
  return { root, staging };
}

describe("moving fetched jars into place", () => {
  it("moves the staging directory to the target", () => {
    const { root, staging } = stagedCopy("ours");
    const target = path.join(root, "libs");

    moveIntoPlaceUnlessThere(staging, target);

    expect(readFileSync(path.join(target, ".complete"), "utf8")).toBe("ours");
    expect(existsSync(staging)).toBe(false);
  });

  it("leaves another process's copy in place and drops ours", () => {
    const { root, staging } = stagedCopy("ours");
    const target = path.join(root, "libs");
    mkdirSync(target);
    writeFileSync(path.join(target, ".complete"), "theirs");

    moveIntoPlaceUnlessThere(staging, target);

    expect(readFileSync(path.join(target, ".complete"), "utf8")).toBe("theirs");
    expect(existsSync(staging)).toBe(false);
  });

  it("throws a failure that is no such race instead of taking it for one", () => {
    const { root, staging } = stagedCopy("ours");
    const target = path.join(root, "missing-parent", "libs");

    expect(() => moveIntoPlaceUnlessThere(staging, target)).toThrow(expect.objectContaining({ code: "ENOENT" }));
    expect(existsSync(staging)).toBe(false);
  });
});
