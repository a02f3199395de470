import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import pg from "pg";
import { eventually } from "@oms/testing";
import { applyServerSettings, parseServerSetting } from "./server-settings.ts";

// checkpoint_warning only decides when Postgres logs a hint: harmless to change on a shared server.
const setting = "checkpoint_warning";
const serverUrl = process.env.DATABASE_URL ?? "postgres://postgres@127.0.0.1:5432/postgres";
let client: pg.Client;

async function seen(): Promise<string> {
  // A new session each time: a reload reaches sessions between statements, a new one at once.
  const fresh = new pg.Client({ connectionString: serverUrl });
  await fresh.connect();
  try {
    return (await fresh.query<{ v: string }>(`SELECT current_setting('${setting}') AS v`)).rows[0]!.v;
  } finally {
    await fresh.end();
  }
}

async function resetSetting(): Promise<void> {
  await client.query(`ALTER SYSTEM RESET ${setting}`);
  await client.query("SELECT pg_reload_conf()");
}

beforeAll(async () => {
  client = new pg.Client({ connectionString: serverUrl });
  await client.connect();
});
beforeEach(resetSetting);
afterEach(resetSetting);
afterAll(async () => {
  await client.end();
});

describe("the bench's Postgres settings for a run", () => {
  it("applies a setting with a reload and puts the server's own value back afterwards", async () => {
    const original = await seen();
    const applied = await applyServerSettings(serverUrl, [parseServerSetting(`${setting}=47s`)]);
    expect(applied.described).toEqual([`${setting}=47s (was ${original})`]);
    await eventually(async () => expect(await seen()).toBe("47s"));
    await applied.restore();
    await eventually(async () => expect(await seen()).toBe(original));
    const left = await client.query(`SELECT 1 FROM pg_file_settings WHERE name = $1 AND sourcefile LIKE '%postgresql.auto.conf'`, [setting]);
    expect(left.rowCount).toBe(0);
  });

  it("puts back a value an administrator had set with ALTER SYSTEM before the run", async () => {
    await client.query(`ALTER SYSTEM SET ${setting} = '41s'`);
    await client.query("SELECT pg_reload_conf()");
    await eventually(async () => expect(await seen()).toBe("41s"));
    const applied = await applyServerSettings(serverUrl, [{ name: setting, value: "47s" }]);
    await eventually(async () => expect(await seen()).toBe("47s"));
    await applied.restore();
    await eventually(async () => expect(await seen()).toBe("41s"));
  });

  it("refuses, naming it, a setting that needs a restart, one Postgres lacks, or a bad value, and leaves nothing changed", async () => {
    const before = await seen();
    await expect(applyServerSettings(serverUrl, [{ name: setting, value: "45s" }, { name: "shared_buffers", value: "1GB" }])).rejects.toThrow(
      /shared_buffers: Postgres applies it only on a restart/,
    );
    await expect(applyServerSettings(serverUrl, [{ name: "no_such_setting", value: "1" }])).rejects.toThrow(/no_such_setting: Postgres has no such setting/);
    await expect(applyServerSettings(serverUrl, [{ name: setting, value: "banana" }])).rejects.toThrow(/checkpoint_warning/);
    expect(await seen()).toBe(before);
    const left = await client.query(`SELECT 1 FROM pg_file_settings WHERE name = $1 AND sourcefile LIKE '%postgresql.auto.conf'`, [setting]);
    expect(left.rowCount).toBe(0);
  });

  it("reads name=value from the command line and refuses anything else", () => {
    expect(parseServerSetting("max_wal_size=16GB")).toEqual({ name: "max_wal_size", value: "16GB" });
    expect(() => parseServerSetting("max_wal_size")).toThrow(/--pg-setting must be name=value/);
    expect(() => parseServerSetting("=1")).toThrow(/--pg-setting must be name=value/);
  });
});
