import { spawn, spawnSync } from "node:child_process";
import { existsSync, readdirSync } from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { testInfrastructure } from "@oms/testing";
import { createBackupFixture, type BackupFixture } from "./backup-fixture.ts";

const root = path.resolve(import.meta.dirname, "../..");
const command = path.join(root, "infra/src/commands/backup.ts");

let fixture: BackupFixture;
beforeAll(async () => {
  fixture = await createBackupFixture();
});
afterAll(async () => {
  await fixture?.drop();
});

/** `npm run backup -- …` without npm: the same entry point on this Node. */
function backup(...args: string[]) {
  const result = spawnSync(process.execPath, [command, ...args], { cwd: root, encoding: "utf8", env: environment() });
  return { code: result.status, out: result.stdout, err: result.stderr };
}

function environment(): NodeJS.ProcessEnv {
  return {
    ...process.env,
    DATABASE_URL: fixture.serverUrl,
    OMS_DATABASE: fixture.database,
    OMS_BACKUP_DIR: fixture.dir,
    OMS_NAMESPACE: fixture.namespace.name,
    KAFKA_BROKERS: testInfrastructure().kafkaBrokers.join(","),
  };
}

/** The verify scratch databases of the process `pid`: another spec file's verify may run at the same time. */
async function scratchDatabases(pid: number): Promise<string[]> {
  return (await fixture.query<{ datname: string }>("postgres", "SELECT datname FROM pg_database WHERE datname LIKE $1", [`oms\\_backup\\_verify\\_${pid}\\_%`])).map((r) => r.datname);
}

describe("npm run backup", () => {
  it("creates, lists and verifies through the command line", () => {
    const created = backup("create");
    expect(created.err).toBe("");
    expect(created.code).toBe(0);
    const name = /^backup (\S+): 3 schemas/m.exec(created.out)?.[1];
    expect(name).toBeDefined();

    expect(backup("list").out).toMatch(new RegExp(`^${name}  \\S+Z  \\d+\\.\\d MB  not verified$`, "m"));
    const verified = backup("verify", name!);
    expect(verified.code).toBe(0);
    expect(verified.out).toContain(`backup ${name} verified`);
    expect(backup("list").out).toMatch(new RegExp(`^${name} .* verified 20`, "m"));
  });

  it("answers bad input with a message naming what is wrong, exit 2, and writes nothing", () => {
    const before = readdirSync(fixture.dir);
    const cases: [string[], RegExp][] = [
      [[], /no verb given/],
      [["backup"], /unknown verb "backup"/],
      [["verify"], /verify needs the name of a backup/],
      [["restore", "x"], /restore needs --database NEW/],
      [["prune", "--keep-days", "ten"], /--keep-days must be a whole number of at least 1, got "ten"/],
      [["list", "--what"], /Unknown option '--what'/],
    ];
    for (const [args, message] of cases) {
      const result = backup(...args);
      expect(result.code, args.join(" ")).toBe(2);
      expect(result.err).toMatch(message);
      expect(result.err).toContain("usage: npm run backup");
    }
    expect(readdirSync(fixture.dir)).toEqual(before);
  });

  it("fails with exit 1 naming the backup or database that is not right", () => {
    const missing = backup("verify", "oms-20000101T000000000Z");
    expect(missing.code).toBe(1);
    expect(missing.err).toMatch(/no backup oms-20000101T000000000Z in /);

    const name = /^(\S+)  /m.exec(backup("list").out)?.[1];
    const existing = backup("restore", name!, "--database", fixture.database);
    expect(existing.code).toBe(1);
    expect(existing.err).toContain(`database ${fixture.database} already exists`);
    expect(existsSync(path.join(fixture.dir, `${name}.consumer-offsets`))).toBe(false);
  });

  it("drops its scratch database when interrupted during a verify, and exits as the signal", async () => {
    // Enough rows that the restore takes a while to interrupt.
    await fixture.query(fixture.database, "SET ROLE " + fixture.roles.b + "; CREATE TABLE billing.bulk AS SELECT n, repeat('x', 100) AS filler FROM generate_series(1, 400000) n");
    const created = backup("create");
    expect(created.code).toBe(0);
    const name = /^backup (\S+): /m.exec(created.out)![1]!;

    const child = spawn(process.execPath, [command, "verify", name], { cwd: root, env: environment(), stdio: ["ignore", "pipe", "pipe"] });
    let stderr = "";
    child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
    const exited = new Promise<number | null>((resolve) => child.once("exit", (code) => resolve(code)));
    let scratch: string | undefined;
    for (const deadline = Date.now() + 30_000; scratch === undefined && Date.now() < deadline && child.exitCode === null; ) {
      scratch = (await scratchDatabases(child.pid!))[0];
      if (scratch === undefined) await new Promise((resolve) => setTimeout(resolve, 20));
    }
    expect(scratch, "the verify's scratch database never appeared before it ended").toBeDefined();
    child.kill("SIGINT");

    expect(await exited).toBe(130);
    expect(stderr).toContain(`dropped ${scratch}`);
    expect(await scratchDatabases(child.pid!)).toEqual([]);
  });
});
