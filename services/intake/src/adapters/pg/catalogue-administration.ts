import type pg from "pg";
import type { Actor } from "@oms/contracts";
import { ConflictError } from "@oms/errors";
import type { CatalogueChangePosition } from "../../app/queries/catalogue-change-pages.ts";
import type { PriceListItem } from "../../domain/store-catalogue.ts";
import type { StoreProfile } from "../../domain/store-profile.ts";
import {
  itemColumns,
  itemOfRow,
  profileOfRow,
  rowOfProfile,
  storeColumns,
  storeProfileColumnNames,
  storeRecordColumns,
  type PriceListRow,
  type StoreRow,
} from "./catalogue-rows.ts";

/** A store's profile as it stands, with its version and who published it (version 0: the seed's, never administered). */
export interface StoredStore {
  profile: StoreProfile;
  version: number;
  updatedBy: string | undefined;
  updatedAt: Date;
}

export interface StoredItem {
  item: PriceListItem;
  version: number;
  withdrawnAt: Date | undefined;
  updatedBy: string | undefined;
  updatedAt: Date;
}

/**
 * What a catalogue change is of: a store's profile, an item of the price list, a marketplace's
 * settings, a store's own price of an item (subject "<store id>/<item code>", ADR 028's addendum).
 */
export type CatalogueSubjectKind = "store" | "item" | "platform" | "store-price";

/** One entry of the catalogue's trail (catalogue_changes). */
export interface CatalogueChange {
  changeId: number;
  subjectKind: CatalogueSubjectKind;
  subjectId: string;
  version: number;
  actor: Actor;
  changedAt: Date;
  previous: unknown;
  current: unknown;
  correlationId: string;
}

type Db = pg.ClientBase | pg.Pool;
type Meta = { version: number; updated_by: string | null; updated_at: Date };

const storeOf = (r: StoreRow & Meta): StoredStore => ({ profile: profileOfRow(r), version: r.version, updatedBy: r.updated_by ?? undefined, updatedAt: r.updated_at });
const itemOf = (r: PriceListRow & Meta & { withdrawn_at: Date | null }): StoredItem => ({
  item: itemOfRow(r),
  version: r.version,
  withdrawnAt: r.withdrawn_at ?? undefined,
  updatedBy: r.updated_by ?? undefined,
  updatedAt: r.updated_at,
});

const storeSelect = `SELECT ${storeColumns}, version, updated_by, updated_at FROM stores`;
const itemSelect = `SELECT ${itemColumns}, version, withdrawn_at, updated_by, updated_at FROM price_list`;
const profileColumns = storeProfileColumnNames.filter((c) => c !== "store_id");

/** Someone else wrote the row between our read and our write: the caller's retry reads it again. */
const concurrentChange = (what: string) => new ConflictError("catalogue.concurrent-change", `${what} was changed at the same moment; try again`);

/**
 * The administered catalogue in intake's schema (ADR 028): each write goes with its version
 * (one more than the row's, checked in the statement) and its entry in catalogue_changes, in
 * the caller's transaction, which also holds the event.
 */
export const catalogueAdministration = {
  /** The store's row, locked until the transaction ends: concurrent changes of one store queue here. */
  async lockStore(tx: pg.ClientBase, storeId: string): Promise<StoredStore | undefined> {
    const { rows } = await tx.query<StoreRow & Meta>(`${storeSelect} WHERE store_id = $1 FOR UPDATE`, [storeId]);
    return rows[0] && storeOf(rows[0]);
  },

  async getStore(db: Db, storeId: string): Promise<StoredStore | undefined> {
    const { rows } = await db.query<StoreRow & Meta>(`${storeSelect} WHERE store_id = $1`, [storeId]);
    return rows[0] && storeOf(rows[0]);
  },

  async listStores(db: Db): Promise<StoredStore[]> {
    const { rows } = await db.query<StoreRow & Meta>(`${storeSelect} ORDER BY store_id`);
    return rows.map(storeOf);
  },

  /**
   * Writes the profile as the version after `previous`, the version of the row read (the
   * seed's are 0); a new row at version 1 when there was none.
   */
  async writeStore(tx: pg.ClientBase, profile: StoreProfile, previous: number | undefined, by: string): Promise<number> {
    const record = JSON.stringify(rowOfProfile(profile));
    const version = (previous ?? 0) + 1;
    const { rowCount } =
      previous === undefined
        ? await tx.query(
            `INSERT INTO stores (${storeProfileColumnNames.join(", ")}, version, updated_by)
             SELECT s.*, 1, $2 FROM jsonb_to_record($1::jsonb) AS s(${storeRecordColumns})
             ON CONFLICT (store_id) DO NOTHING`,
            [record, by],
          )
        : await tx.query(
            `UPDATE stores SET (${profileColumns.join(", ")}) = (SELECT ${profileColumns.map((c) => `s.${c}`).join(", ")} FROM jsonb_to_record($1::jsonb) AS s(${storeRecordColumns})),
               version = $3, updated_by = $2, updated_at = now()
             WHERE store_id = $4 AND version = $3 - 1`,
            [record, by, version, profile.storeId],
          );
    if (rowCount !== 1) throw concurrentChange(`store ${profile.storeId}`);
    return version;
  },

  async lockItem(tx: pg.ClientBase, sku: string): Promise<StoredItem | undefined> {
    const { rows } = await tx.query<PriceListRow & Meta & { withdrawn_at: Date | null }>(`${itemSelect} WHERE sku = $1 FOR UPDATE`, [sku]);
    return rows[0] && itemOf(rows[0]);
  },

  async listItems(db: Db, includeWithdrawn: boolean): Promise<StoredItem[]> {
    const { rows } = await db.query<PriceListRow & Meta & { withdrawn_at: Date | null }>(
      `${itemSelect} WHERE $1 OR withdrawn_at IS NULL ORDER BY sku`,
      [includeWithdrawn],
    );
    return rows.map(itemOf);
  },

  /** Writes the item as the version after `previous` (none: a new item at 1), on sale: a withdrawn item published again is back on sale. */
  async writeItem(tx: pg.ClientBase, item: Omit<PriceListItem, "withdrawn">, previous: number | undefined, by: string): Promise<number> {
    const version = (previous ?? 0) + 1;
    const values = [item.sku, item.description, item.kind, item.unitPriceMinor, item.handling, item.skills, by, version];
    const { rowCount } =
      previous === undefined
        ? await tx.query(
            `INSERT INTO price_list (sku, description, kind, unit_price_minor, handling, skills, updated_by, version)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8) ON CONFLICT (sku) DO NOTHING`,
            values,
          )
        : await tx.query(
            `UPDATE price_list SET description = $2, kind = $3, unit_price_minor = $4, handling = $5, skills = $6, updated_by = $7,
               version = $8, withdrawn_at = NULL, withdrawn_reason = NULL, updated_at = now()
             WHERE sku = $1 AND version = $8 - 1`,
            values,
          );
    if (rowCount !== 1) throw concurrentChange(`item ${item.sku}`);
    return version;
  },

  async withdrawItem(tx: pg.ClientBase, sku: string, reason: string, version: number, by: string): Promise<void> {
    const { rowCount } = await tx.query(
      `UPDATE price_list SET withdrawn_at = now(), withdrawn_reason = $2, updated_by = $3, version = $4, updated_at = now()
       WHERE sku = $1 AND version = $4 - 1`,
      [sku, reason, by, version],
    );
    if (rowCount !== 1) throw concurrentChange(`item ${sku}`);
  },

  async appendChange(tx: pg.ClientBase, change: Omit<CatalogueChange, "changeId" | "changedAt">): Promise<void> {
    await tx.query(
      `INSERT INTO catalogue_changes (subject_kind, subject_id, version, actor_kind, actor_id, actor_role, previous, current, correlation_id)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)`,
      [
        change.subjectKind,
        change.subjectId,
        change.version,
        change.actor.kind,
        change.actor.id,
        change.actor.role,
        change.previous === undefined ? null : JSON.stringify(change.previous),
        JSON.stringify(change.current),
        change.correlationId,
      ],
    );
  },

  /**
   * A page of the trail, newest first: of one store (its profile and its own prices), one item
   * (its entry on the chain's list and every store's price of it), one platform, or the whole
   * catalogue; `page.size` changes older than `page.after`. The id is compared as the bigint it
   * is: as text, change 9 would come after change 10.
   */
  async listChanges(
    db: Db,
    filter: { storeId?: string | undefined; sku?: string | undefined; platform?: string | undefined },
    page: { size: number; after: CatalogueChangePosition | undefined },
  ): Promise<CatalogueChange[]> {
    const { rows } = await db.query<{
      change_id: number;
      subject_kind: CatalogueSubjectKind;
      subject_id: string;
      version: number;
      actor_kind: Actor["kind"];
      actor_id: string;
      actor_role: string;
      changed_at: Date;
      previous: unknown;
      current: unknown;
      correlation_id: string;
    }>(
      `SELECT change_id, subject_kind, subject_id, version, actor_kind, actor_id, actor_role, changed_at, previous, current, correlation_id
       FROM catalogue_changes
       WHERE ($1::text IS NULL OR (subject_kind = 'store' AND subject_id = $1) OR (subject_kind = 'store-price' AND split_part(subject_id, '/', 1) = $1))
         AND ($2::text IS NULL OR (subject_kind = 'item' AND subject_id = $2) OR (subject_kind = 'store-price' AND split_part(subject_id, '/', 2) = $2))
         AND ($3::text IS NULL OR (subject_kind = 'platform' AND subject_id = $3))
         AND ($5::bigint IS NULL OR change_id < $5::bigint)
       ORDER BY change_id DESC LIMIT $4`,
      [filter.storeId ?? null, filter.sku ?? null, filter.platform ?? null, page.size, page.after?.changeId ?? null],
    );
    return rows.map((r) => ({
      changeId: r.change_id,
      subjectKind: r.subject_kind,
      subjectId: r.subject_id,
      version: r.version,
      actor: { kind: r.actor_kind, id: r.actor_id, role: r.actor_role },
      changedAt: r.changed_at,
      previous: r.previous ?? undefined,
      current: r.current,
      correlationId: r.correlation_id,
    }));
  },
};
