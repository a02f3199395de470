import { spawnSync } from "node:child_process";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { repositoryRoot, staleContracts, staleEventCatalogue } from "@oms/infra";

/** The whole tree typechecks (strict) and what is generated from proto/ (the contracts, docs/events.md) matches it. */
describe("build checks", () => {
  it("typechecks every package, service and test", { timeout: 180_000 }, () => {
    const result = spawnSync(process.execPath, [path.join(repositoryRoot, "node_modules/typescript/bin/tsc"), "-p", "tsconfig.json", "--noEmit"], {
      cwd: repositoryRoot,
      encoding: "utf8",
    });
    expect(result.stdout + result.stderr).toBe("");
    expect(result.status).toBe(0);
  });

  it("has generated contracts that are up to date with proto/", { timeout: 60_000 }, () => {
    expect(staleContracts()).toEqual([]);
  });

  it("has an event catalogue (docs/events.md) that says what proto/ says", { timeout: 60_000 }, () => {
    expect(staleEventCatalogue()).toBe(false);
  });
});
