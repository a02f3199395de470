import type pg from "pg";
import { packBytes } from "@oms/postgres";
import type { DossierEntry, DossierSummary, FiledDossierEntry } from "../../domain/dossier.ts";

/** An entry ready to file: its metadata and its envelope, sealed. */
export interface SealedDossierEntry extends DossierEntry {
  envelopeSealed: Buffer;
  envelopeKeyId: string;
  /** Whether the event ends its order (domain/retention.ts): the dossier's retention starts. Absent: it does not. */
  endsOrder?: boolean;
}

interface EntryRow {
  filing_seq: number;
  event_id: string;
  order_id: string;
  store_id: string;
  event_type: string;
  producer: string;
  topic: string;
  occurred_at: Date;
  correlation_id: string;
  causation_id: string;
  actor_kind: string;
  actor_id: string;
  actor_role: string;
  filed_at: Date;
}

interface SummaryRow {
  order_id: string;
  store_id: string;
  first_event_at: Date;
  last_event_at: Date;
  entry_count: number;
}

const entryColumns =
  "filing_seq, event_id, order_id, store_id, event_type, producer, topic, occurred_at, correlation_id, causation_id, actor_kind, actor_id, actor_role, filed_at";

function entryFromRow(row: EntryRow): FiledDossierEntry {
  return {
    eventId: row.event_id,
    orderId: row.order_id,
    storeId: row.store_id,
    eventType: row.event_type,
    producer: row.producer,
    topic: row.topic,
    occurredAt: row.occurred_at,
    correlationId: row.correlation_id,
    causationId: row.causation_id,
    actor: { kind: row.actor_kind, id: row.actor_id, role: row.actor_role },
    filedAt: row.filed_at,
    filingSequence: row.filing_seq,
  };
}

/*
 * Files a set of entries in one statement: new entries are inserted in the given order
 * (ids seen before are skipped: filing is idempotent even without the consumer's inbox),
 * and each touched order's dossier row is opened or extended by what was actually new.
 * Dossier rows are upserted in order-id order so concurrent filers lock them alike.
 */
const fileEntriesSql = `
WITH incoming AS (
  SELECT DISTINCT ON (event_id) *
  FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[], $7::timestamptz[],
              $8::text[], $9::text[], $10::text[], $11::text[], $12::text[], $13::int[], $14::int[], $15::text[], $17::boolean[])
       WITH ORDINALITY AS i(event_id, order_id, store_id, event_type, producer, topic, occurred_at,
                            correlation_id, causation_id, actor_kind, actor_id, actor_role, sealed_start, sealed_length, envelope_key_id, ends, position)
  ORDER BY event_id, position
),
filed AS (
  INSERT INTO dossier_entries (event_id, order_id, store_id, event_type, producer, topic, occurred_at,
                               correlation_id, causation_id, actor_kind, actor_id, actor_role, envelope_sealed, envelope_key_id)
  SELECT event_id, order_id, store_id, event_type, producer, topic, occurred_at,
         correlation_id, causation_id, actor_kind, actor_id, actor_role,
         substring($16::bytea FROM sealed_start FOR sealed_length), envelope_key_id
  FROM incoming ORDER BY position
  ON CONFLICT (event_id) DO NOTHING
  RETURNING order_id, store_id, occurred_at, event_id
),
opened AS (
  INSERT INTO dossiers (order_id, store_id, first_event_at, last_event_at, entry_count, ended_at)
  SELECT filed.order_id, coalesce(max(filed.store_id) FILTER (WHERE filed.store_id <> ''), ''), min(filed.occurred_at), max(filed.occurred_at), count(*),
         max(filed.occurred_at) FILTER (WHERE incoming.ends)
  FROM filed JOIN incoming USING (event_id) GROUP BY filed.order_id ORDER BY filed.order_id
  ON CONFLICT (order_id) DO UPDATE SET
    store_id = CASE WHEN dossiers.store_id = '' THEN EXCLUDED.store_id ELSE dossiers.store_id END,
    first_event_at = least(dossiers.first_event_at, EXCLUDED.first_event_at),
    last_event_at = greatest(dossiers.last_event_at, EXCLUDED.last_event_at),
    entry_count = dossiers.entry_count + EXCLUDED.entry_count,
    -- greatest() passes over NULL: an end stays once filed, and a later end moves it.
    ended_at = greatest(dossiers.ended_at, EXCLUDED.ended_at),
    updated_at = now()
  RETURNING 1
)
SELECT (SELECT count(*) FROM filed)::int AS filed`;

/** Dossiers in archive's schema. Writes take the caller's transaction. */
export const dossierRepository = {
  /** Files the entries that are new; returns how many were. */
  async fileEntries(tx: pg.ClientBase, entries: readonly SealedDossierEntry[]): Promise<number> {
    if (entries.length === 0) return 0;
    const column = <T>(pick: (e: SealedDossierEntry) => T) => entries.map(pick);
    // The sealed envelopes travel as one binary parameter cut by offsets (packBytes).
    const sealed = packBytes(column((e) => e.envelopeSealed));
    const { rows } = await tx.query<{ filed: number }>(fileEntriesSql, [
      column((e) => e.eventId),
      column((e) => e.orderId),
      column((e) => e.storeId),
      column((e) => e.eventType),
      column((e) => e.producer),
      column((e) => e.topic),
      column((e) => e.occurredAt),
      column((e) => e.correlationId),
      column((e) => e.causationId),
      column((e) => e.actor.kind),
      column((e) => e.actor.id),
      column((e) => e.actor.role),
      sealed.starts,
      sealed.lengths,
      column((e) => e.envelopeKeyId),
      sealed.bytes,
      column((e) => e.endsOrder ?? false),
    ]);
    return rows[0]?.filed ?? 0;
  },

  async findSummary(db: pg.Pool | pg.ClientBase, orderId: string): Promise<DossierSummary | undefined> {
    const { rows } = await db.query<SummaryRow>(
      "SELECT order_id, store_id, first_event_at, last_event_at, entry_count FROM dossiers WHERE order_id = $1",
      [orderId],
    );
    const row = rows[0];
    return (
      row && {
        orderId: row.order_id,
        storeId: row.store_id,
        firstEventAt: row.first_event_at,
        lastEventAt: row.last_event_at,
        entryCount: row.entry_count,
      }
    );
  },

  /** The order's entries as they happened; same-instant events in filing order. */
  async listEntries(db: pg.Pool | pg.ClientBase, orderId: string): Promise<FiledDossierEntry[]> {
    const { rows } = await db.query<EntryRow>(
      `SELECT ${entryColumns} FROM dossier_entries WHERE order_id = $1 ORDER BY occurred_at, filing_seq`,
      [orderId],
    );
    return rows.map(entryFromRow);
  },

  /** The order's entries with their sealed envelopes, as listEntries orders them: for a viewing an access request allowed. */
  async listSealedEntries(db: pg.Pool | pg.ClientBase, orderId: string): Promise<(FiledDossierEntry & { sealed: Buffer; keyId: string })[]> {
    const { rows } = await db.query<EntryRow & { envelope_sealed: Buffer; envelope_key_id: string }>(
      `SELECT ${entryColumns}, envelope_sealed, envelope_key_id FROM dossier_entries WHERE order_id = $1 ORDER BY occurred_at, filing_seq`,
      [orderId],
    );
    return rows.map((row) => ({ ...entryFromRow(row), sealed: row.envelope_sealed, keyId: row.envelope_key_id }));
  },

  /** The sealed envelope of one entry, for whoever may open it. */
  async findSealedEnvelope(db: pg.Pool | pg.ClientBase, eventId: string): Promise<{ sealed: Buffer; keyId: string } | undefined> {
    const { rows } = await db.query<{ envelope_sealed: Buffer; envelope_key_id: string }>(
      "SELECT envelope_sealed, envelope_key_id FROM dossier_entries WHERE event_id = $1",
      [eventId],
    );
    return rows[0] && { sealed: rows[0].envelope_sealed, keyId: rows[0].envelope_key_id };
  },
};
