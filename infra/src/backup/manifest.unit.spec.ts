import { describe, expect, it } from "vitest";
import { differencesFromManifest, manifestFormat, parseManifest, type BackupManifest, type SchemaContents } from "./manifest.ts";
import { groupOffsetFiles, nextStepsAfterRestore, offsetFileNameOf, shellWord } from "./restore-guide.ts";

const expected: SchemaContents[] = [
  { schema: "archive", tables: [{ table: "dossier_entries", rows: 12 }, { table: "schema_migrations", rows: 2 }], migrations: ["archive/001_dossiers", "messaging/001_outbox_and_inbox"] },
  { schema: "billing", tables: [{ table: "invoices", rows: 3 }], migrations: [] },
];

describe("a restored copy held against its manifest", () => {
  it("agrees when every table's rows and each schema's migrations match", () => {
    expect(differencesFromManifest(expected, structuredClone(expected))).toEqual([]);
  });

  it("names the table whose rows differ, and the counts", () => {
    const actual = structuredClone(expected);
    actual[0]!.tables[0]!.rows = 11;
    expect(differencesFromManifest(expected, actual)).toEqual(["table archive.dossier_entries: 12 rows in the manifest, 11 restored"]);
  });

  it("names missing and extra tables and schemas", () => {
    const actual = structuredClone(expected);
    actual[1]!.tables = [{ table: "credit_notes", rows: 0 }];
    actual.shift();
    actual.push({ schema: "stray", tables: [], migrations: [] });
    expect(differencesFromManifest(expected, actual)).toEqual([
      "schema archive: in the manifest, missing from the restored copy",
      "table billing.invoices: in the manifest, missing from the restored copy",
      "table billing.credit_notes: in the restored copy, not in the manifest",
      "schema stray: in the restored copy, not in the manifest",
    ]);
  });

  it("names the schema whose migrations differ, and which", () => {
    const actual = structuredClone(expected);
    actual[0]!.migrations = ["archive/001_dossiers", "archive/003_retention"];
    expect(differencesFromManifest(expected, actual)).toEqual([
      "schema archive: migrations differ (missing messaging/001_outbox_and_inbox; not in the manifest archive/003_retention)",
    ]);
  });
});

const manifest: BackupManifest = {
  format: manifestFormat,
  name: "oms-20261207T060000000Z",
  takenAt: "2026-12-07T06:00:00.000Z",
  database: "oms",
  serverVersion: "15.20",
  dump: { file: "oms-20261207T060000000Z.dump", sha256: "ab", bytes: 10 },
  schemas: expected,
  roles: ["oms_archive"],
  databaseGrants: [],
  kafka: {
    reachable: true as const,
    brokers: ["127.0.0.1:9092"],
    namespace: "",
    consumerGroups: [{ group: "archive-filing", topics: [{ topic: "oms.intake.order.v1", partitions: [{ partition: 0, offset: "41" }, { partition: 1, offset: "7" }] }] }],
    topicEnds: [],
  },
};

describe("reading a manifest", () => {
  it("takes a complete one and refuses a truncated or foreign one naming the file and what is wrong", () => {
    expect(parseManifest(JSON.stringify(manifest), "m.json").name).toBe(manifest.name);
    expect(() => parseManifest('{"format":', "m.json")).toThrow(/m.json is not JSON/);
    expect(() => parseManifest(JSON.stringify({ ...manifest, format: "other" }), "m.json")).toThrow(/m.json is not a backup manifest: format is "other"/);
    expect(() => parseManifest(JSON.stringify({ ...manifest, schemas: [{ schema: "x" }] }), "m.json")).toThrow(/schemas are not a list/);
  });
});

describe("after a restore", () => {
  it("gives each consumer group's committed offsets as topic,partition,offset lines", () => {
    expect(groupOffsetFiles(manifest)).toEqual([{ group: "archive-filing", csv: "oms.intake.order.v1,0,41\noms.intake.order.v1,1,7\n" }]);
    expect(offsetFileNameOf("ns/with space")).toBe("ns_with_space.csv");
  });

  it("puts a partition the group had not committed on at the backup back to the start, so the reset moves it too", () => {
    const topicEnds = [
      { topic: "oms.intake.order.v1", partitions: [0, 1, 2].map((partition) => ({ partition, offset: "50" })) },
      // A topic the group never committed on: nothing says it reads it.
      { topic: "oms.billing.payment.v1", partitions: [{ partition: 0, offset: "9" }] },
    ];
    const withEnds: BackupManifest = { ...manifest, kafka: { ...manifest.kafka, topicEnds } as BackupManifest["kafka"] };
    expect(groupOffsetFiles(withEnds)).toEqual([{ group: "archive-filing", csv: "oms.intake.order.v1,0,41\noms.intake.order.v1,1,7\noms.intake.order.v1,2,0\n" }]);
  });

  it("tells the operator to reset the groups with reset-offsets, a dry run first, and the tool's commands as the fallback", () => {
    const steps = nextStepsAfterRestore(manifest, "oms_restored", "/b/x.consumer-offsets");
    expect(steps).toContain(`npm run backup -- reset-offsets ${manifest.name} --dry-run`);
    expect(steps).toMatch(new RegExp(`npm run backup -- reset-offsets ${manifest.name}\n`));
    expect(steps.indexOf("reset-offsets")).toBeLessThan(steps.indexOf("--from-file"));
    expect(nextStepsAfterRestore(manifest, "oms_restored", "/b/x.consumer-offsets", "/srv/my backups")).toContain(`reset-offsets ${manifest.name} --dir '/srv/my backups' --dry-run`);
    const byTime = nextStepsAfterRestore({ ...manifest, takenAt: "2026-12-07T03:15:00.000Z", kafka: { reachable: false, brokers: ["k:9092"], namespace: "", error: "down" } }, "oms_restored", undefined);
    expect(byTime).toContain(`npm run backup -- reset-offsets ${manifest.name} --dry-run`);
    expect(byTime).toContain("--to-datetime 2026-12-07T03:05:00.000Z --execute");
  });

  it("tells the operator to reset each group from its file, or by time when Kafka was unreachable", () => {
    const withOffsets = nextStepsAfterRestore(manifest, "oms_restored", "/b/x.consumer-offsets");
    expect(withOffsets).toContain("--group archive-filing --reset-offsets --from-file /b/x.consumer-offsets/archive-filing.csv --execute");
    expect(withOffsets).toContain("Point OMS_DATABASE (or each service's DATABASE_URL) at oms_restored");
    const without = nextStepsAfterRestore({ ...manifest, kafka: { reachable: false, brokers: ["k:9092"], namespace: "", error: "connect ECONNREFUSED" } }, "oms_restored", undefined);
    expect(without).toContain("Kafka was unreachable at the backup: connect ECONNREFUSED");
    expect(without).toContain("--to-datetime");
  });

  it("quotes a folder with a space (or a quote) so the printed command pastes as one", () => {
    const steps = nextStepsAfterRestore(manifest, "oms_restored", "/mnt/night backups/o'clock.consumer-offsets");
    expect(steps).toContain(`--from-file '/mnt/night backups/o'\\''clock.consumer-offsets/archive-filing.csv' --execute`);
    expect(shellWord("archive-filing")).toBe("archive-filing");
    expect(shellWord("a b")).toBe("'a b'");
  });
});
