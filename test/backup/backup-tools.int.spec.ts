import { chmodSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { dumpSnapshot, restoreDump } from "../../infra/src/backup/postgres-tools.ts";

/**
 * What pg_dump and pg_restore are started with: stand-ins of the same names first on PATH
 * write down their arguments and PGPASSWORD, as `ps` and /proc would show them to anyone.
 */
let bin: string;
const originalPath = process.env.PATH;

beforeAll(() => {
  bin = mkdtempSync(path.join(tmpdir(), "oms-backup-tools-"));
  for (const tool of ["pg_dump", "pg_restore"]) {
    const script = path.join(bin, tool);
    writeFileSync(script, `#!/bin/sh\nprintf '%s\\n' "$@" > "${bin}/${tool}.args"\nprintf '%s' "$PGPASSWORD" > "${bin}/${tool}.password"\n`);
    chmodSync(script, 0o755);
  }
  process.env.PATH = `${bin}:${originalPath}`;
});

afterAll(() => {
  process.env.PATH = originalPath;
  rmSync(bin, { recursive: true, force: true });
});

describe("the PostgreSQL tools a backup runs", () => {
  it("get the admin password in their environment, never among their arguments", async () => {
    const url = "postgres://admin:s3cret-pw@127.0.0.1:5432/oms";
    await dumpSnapshot(url, "00000003-0000001B-1", path.join(bin, "x.dump"));
    await restoreDump(path.join(bin, "x.dump"), url);
    for (const tool of ["pg_dump", "pg_restore"]) {
      const args = readFileSync(path.join(bin, `${tool}.args`), "utf8");
      expect(args).not.toContain("s3cret-pw");
      expect(args).toContain("--dbname=postgres://admin@127.0.0.1:5432/oms");
      expect(readFileSync(path.join(bin, `${tool}.password`), "utf8")).toBe("s3cret-pw");
    }
  });
});
