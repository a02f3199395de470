import { describe, expect, it } from "vitest";
import { BackupUsageError, parseBackupArguments } from "./arguments.ts";

const refusal = (argv: string[]) => {
  try {
    parseBackupArguments(argv);
  } catch (error) {
    expect(error).toBeInstanceOf(BackupUsageError);
    return (error as Error).message;
  }
  throw new Error(`${argv.join(" ")} was accepted`);
};

describe("backup command line", () => {
  it("reads each verb with its options", () => {
    expect(parseBackupArguments(["create"])).toEqual({ verb: "create" });
    expect(parseBackupArguments(["create", "--dir", "/srv/backups"])).toEqual({ verb: "create", dir: "/srv/backups" });
    expect(parseBackupArguments(["list"])).toEqual({ verb: "list" });
    expect(parseBackupArguments(["verify", "oms-20261207T061502123Z"])).toEqual({ verb: "verify", name: "oms-20261207T061502123Z" });
    expect(parseBackupArguments(["restore", "oms-1", "--database", "oms_restored"])).toEqual({ verb: "restore", name: "oms-1", database: "oms_restored" });
    expect(parseBackupArguments(["prune", "--keep-days", "30"])).toEqual({ verb: "prune", keepDays: 30 });
    expect(parseBackupArguments(["prune", "--keep", "3", "--keep-days", "7"])).toEqual({ verb: "prune", keep: 3, keepDays: 7 });
    expect(parseBackupArguments(["reset-offsets", "oms-1"])).toEqual({ verb: "reset-offsets", name: "oms-1", dryRun: false });
    expect(parseBackupArguments(["reset-offsets", "oms-1", "--dry-run"])).toEqual({ verb: "reset-offsets", name: "oms-1", dryRun: true });
  });

  it("refuses an unknown or missing verb, naming it", () => {
    expect(refusal([])).toMatch(/no verb/);
    expect(refusal(["backup"])).toMatch(/unknown verb "backup"/);
  });

  it("refuses a missing, extra or path-like backup name", () => {
    expect(refusal(["verify"])).toMatch(/verify needs the name of a backup/);
    expect(refusal(["restore", "--database", "x"])).toMatch(/restore needs the name of a backup/);
    expect(refusal(["verify", "a", "b"])).toMatch(/one backup name, got 2/);
    expect(refusal(["verify", "../etc/passwd"])).toMatch(/no path/);
    expect(refusal(["list", "oms-1"])).toMatch(/list takes no name/);
    expect(refusal(["reset-offsets"])).toMatch(/reset-offsets needs the name of a backup/);
    expect(refusal(["reset-offsets", "a", "b"])).toMatch(/one backup name, got 2/);
  });

  it("refuses a restore without a new database, or with a name that is no plain identifier", () => {
    expect(refusal(["restore", "oms-1"])).toMatch(/--database NEW/);
    expect(refusal(["restore", "oms-1", "--database", "oms; DROP"])).toMatch(/--database must be/);
  });

  it("refuses bad numbers and a prune without a rule", () => {
    expect(refusal(["prune"])).toMatch(/--keep-days N, --keep N or both/);
    expect(refusal(["prune", "--keep-days", "0"])).toMatch(/--keep-days must be a whole number of at least 1, got "0"/);
    expect(refusal(["prune", "--keep-days", "1.5"])).toMatch(/--keep-days .* got "1.5"/);
    expect(refusal(["prune", "--keep", "1e3"])).toMatch(/--keep .* got "1e3"/);
    expect(refusal(["prune", "--keep", ""])).toMatch(/--keep .* got ""/);
  });

  it("refuses options a verb does not take, and unknown ones", () => {
    expect(refusal(["create", "--database", "x"])).toMatch(/create takes no --database/);
    expect(refusal(["verify", "oms-1", "--keep", "2"])).toMatch(/verify takes no --keep/);
    expect(refusal(["list", "--force"])).toMatch(/--force/);
    expect(refusal(["restore", "oms-1", "--database", "x", "--dry-run"])).toMatch(/restore takes no --dry-run/);
    expect(refusal(["list", "--dir", " "])).toMatch(/--dir must not be empty/);
  });
});
