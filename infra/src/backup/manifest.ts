// What a backup says about itself (`<name>.manifest.json`), and how a restored copy is held
// against it. Pure: the adapters read the database and the files.

export const manifestFormat = "oms-backup/1";

export interface TableRows {
  table: string;
  rows: number;
}

/** One schema as the snapshot saw it: what a restore must give back. */
export interface SchemaContents {
  schema: string;
  tables: TableRows[];
  /** Ids in `<schema>.schema_migrations` (packages/postgres, runMigrations), sorted; empty when it has none. */
  migrations: string[];
}

export interface PartitionOffset {
  partition: number;
  offset: string;
}

/**
 * Where Kafka stood, or why it is not known. The backup does not fail when Kafka is
 * unreachable (ADR 031): the database is what is backed up; the offsets only help an
 * operator put the consumer groups back, and a backup missing them beats no backup.
 */
export type KafkaPositions =
  | {
      reachable: true;
      brokers: string[];
      namespace: string;
      /** Committed offsets per consumer group, read just *before* the snapshot: never ahead of what the database holds. */
      consumerGroups: { group: string; topics: { topic: string; partitions: PartitionOffset[] }[] }[];
      /** Each topic's end offsets, read just *after* the snapshot: anything past them was published later. */
      topicEnds: { topic: string; partitions: PartitionOffset[] }[];
    }
  | { reachable: false; brokers: string[]; namespace: string; error: string };

export interface BackupManifest {
  format: typeof manifestFormat;
  name: string;
  /** ISO time the snapshot was exported. */
  takenAt: string;
  database: string;
  serverVersion: string;
  dump: { file: string; sha256: string; bytes: number };
  schemas: SchemaContents[];
  /** Roles owning or granted anything in the database: cluster-wide, not in the dump, must exist before a restore. */
  roles: string[];
  /** Database-level grants (CONNECT…): pg_dump leaves them out unless it creates the database itself. */
  databaseGrants: { role: string; privileges: string[] }[];
  kafka: KafkaPositions;
}

/** The outcome of the last `verify`, beside the manifest (`<name>.verification.json`). */
export interface VerificationRecord {
  verifiedAt: string;
  ok: boolean;
  differences: string[];
}

/**
 * Every way `actual` (a restored copy) differs from `expected` (the manifest), one line
 * each naming the schema or table; empty when they agree.
 */
export function differencesFromManifest(expected: readonly SchemaContents[], actual: readonly SchemaContents[]): string[] {
  const differences: string[] = [];
  const actualBySchema = new Map(actual.map((s) => [s.schema, s]));
  for (const want of expected) {
    const got = actualBySchema.get(want.schema);
    if (!got) {
      differences.push(`schema ${want.schema}: in the manifest, missing from the restored copy`);
      continue;
    }
    differences.push(...tableDifferences(want, got), ...migrationDifferences(want, got));
  }
  const expectedSchemas = new Set(expected.map((s) => s.schema));
  for (const extra of actual) {
    if (!expectedSchemas.has(extra.schema)) differences.push(`schema ${extra.schema}: in the restored copy, not in the manifest`);
  }
  return differences;
}

function tableDifferences(want: SchemaContents, got: SchemaContents): string[] {
  const differences: string[] = [];
  const gotRows = new Map(got.tables.map((t) => [t.table, t.rows]));
  for (const { table, rows } of want.tables) {
    const restored = gotRows.get(table);
    if (restored === undefined) differences.push(`table ${want.schema}.${table}: in the manifest, missing from the restored copy`);
    else if (restored !== rows) differences.push(`table ${want.schema}.${table}: ${rows} rows in the manifest, ${restored} restored`);
  }
  const wantTables = new Set(want.tables.map((t) => t.table));
  for (const { table } of got.tables) {
    if (!wantTables.has(table)) differences.push(`table ${want.schema}.${table}: in the restored copy, not in the manifest`);
  }
  return differences;
}

function migrationDifferences(want: SchemaContents, got: SchemaContents): string[] {
  const missing = want.migrations.filter((id) => !got.migrations.includes(id));
  const extra = got.migrations.filter((id) => !want.migrations.includes(id));
  if (missing.length === 0 && extra.length === 0) return [];
  const parts = [missing.length > 0 ? `missing ${missing.join(", ")}` : "", extra.length > 0 ? `not in the manifest ${extra.join(", ")}` : ""];
  return [`schema ${want.schema}: migrations differ (${parts.filter(Boolean).join("; ")})`];
}

/**
 * A manifest read from disk, checked for the fields the commands rely on: a hand-edited
 * or truncated one is refused naming the file rather than failing later on an undefined.
 */
export function parseManifest(text: string, file: string): BackupManifest {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    throw new Error(`${file} is not JSON: ${(error as Error).message}`);
  }
  const m = value as Partial<BackupManifest> | null;
  const problems: string[] = [];
  if (m === null || typeof m !== "object") problems.push("not an object");
  else {
    if (m.format !== manifestFormat) problems.push(`format is ${JSON.stringify(m.format)}, expected ${manifestFormat}`);
    if (typeof m.name !== "string" || typeof m.database !== "string") problems.push("no name or database");
    if (typeof m.takenAt !== "string" || Number.isNaN(Date.parse(m.takenAt))) problems.push("no takenAt time");
    if (typeof m.dump?.file !== "string" || typeof m.dump.sha256 !== "string" || typeof m.dump.bytes !== "number") problems.push("no dump file, sha256 and bytes");
    if (!Array.isArray(m.schemas) || m.schemas.some((s) => typeof s?.schema !== "string" || !Array.isArray(s.tables) || !Array.isArray(s.migrations))) {
      problems.push("schemas are not a list of {schema, tables, migrations}");
    }
    if (!Array.isArray(m.roles) || !Array.isArray(m.databaseGrants)) problems.push("no roles or databaseGrants");
  }
  if (problems.length > 0) throw new Error(`${file} is not a backup manifest: ${problems.join("; ")}`);
  return m as BackupManifest;
}
