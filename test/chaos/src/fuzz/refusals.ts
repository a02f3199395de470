import type pg from "pg";
import { allTopics, decodeEnvelope, physicalTopic } from "@oms/contracts";
import { dumpTopic } from "../../../support/topic-dump.ts";
import { serviceSchemas } from "../invariants/context.ts";
import type { FuzzFigure } from "./http-properties.ts";

/**
 * A refused request changes nothing: no partial write behind a 4xx or a gRPC refusal.
 *
 * Every change to an order, a reservation, a task or the money is written with its events
 * in one transaction (the outbox), and every event carries the correlation id of the
 * request that caused it (intake's x-request-id, a gRPC request's correlationId), down
 * the whole chain of reactions. So a refused request that wrote anything of those left
 * an event with its id on a topic, and once the outboxes have drained none may.
 * What publishes no event — staff, their shifts and absences, store settings, flagged
 * customers, goods receipts, dossier access requests and viewings, showings of a customer's
 * contact, of flagged customers' contacts or of a case's or a dispute's words, withdrawn tokens, dossiers' legal holds and disposal records — is only ever written
 * by people's requests, so those tables
 * are compared just before and just after each refused request instead (the fuzzers send
 * one request at a time).
 */
export interface Refusal {
  /** What was refused, for the report: "POST /v1/tasks/… as staff:s-1:rider: 409". */
  label: string;
  /** The id the request's events would carry; empty when the request named none (raw gRPC bytes). */
  correlationId: string;
}

/**
 * Tables nothing but a person's request writes, by schema. Not fulfillment's store_settings
 * any more: its consumer writes a store's published deadlines (ADR 028) whenever it hears
 * them, possibly while a later request is refused; what a publication changes is covered
 * by its event's correlation id, like any other. Nor the returns' and exchanges' tables
 * (expected_returns, return_receipts, stock_write_offs, replacements; ADR 021, 030): the
 * warehouse's consumer writes them whenever it hears a case accepted, and every request that
 * changes them announces it in the same transaction (ReturnReceived, ReturnCalledOff,
 * ReplacementPicked, ReplacementPacked, ReplacementShipped, ReplacementCalledOff, ReplacementMoved), so the correlation id covers a
 * refused receipt, pick, pack, shipment, call-off or move that wrote anything.
 */
export const requestOnlyTables = [
  "dispatch.staff",
  "dispatch.staff_absences",
  "dispatch.store_settings",
  "intake.flagged_customers",
  "intake.contact_disclosures",
  // A refused listing of flagged customers (a page token it did not give) shows no contact and logs no showing.
  "intake.customer_flag_disclosures",
  "intake.token_revocations",
  "warehouse.stock_receipts",
  // An expected restock date staff record (ADR 030, second addendum) publishes events too; its trail is compared as well.
  "warehouse.restock_expectations",
  "archive.access_requests",
  "archive.dossier_viewings",
  // Retention (ADR 029): a refused hold, release or disposal records nothing.
  "archive.dossier_holds",
  "archive.dossier_disposals",
  "after_sales.policies",
  // Showings of a case's description or a dispute's statement (ADR 017's and 026's showings
  // addenda): a refused view, list or step opens no words and logs no showing.
  "after_sales.case_disclosures",
  "billing.dispute_disclosures",
  // The catalogue (ADR 028) publishes events too, but its rows are compared as well: a refused
  // change of a store or a price must leave the row, its version and the trail as they were.
  "intake.stores",
  "intake.price_list",
  "intake.store_prices",
  "intake.catalogue_changes",
  // Marketplaces' settings (ADR 028, addendum): no event at all; a refused change leaves them as they were.
  "intake.platforms",
  "intake.platform_store_routes",
  "intake.platform_items",
] as const;

type Fingerprint = Map<string, string>;

export class RefusalWatch {
  readonly #db: pg.Pool;
  /** Correlation id → what was refused. */
  readonly #refused = new Map<string, string>();
  readonly #tablesChanged: string[] = [];
  #watched = 0;

  constructor(db: pg.Pool) {
    this.#db = db;
  }

  /** Sends one request; when `refusalOf` says it was refused, checks it changed none of the request-only tables. */
  async send<T>(request: () => Promise<T>, refusalOf: (answer: T) => Refusal | undefined): Promise<T> {
    const before = await this.#fingerprint();
    const answer = await request();
    const refusal = refusalOf(answer);
    if (refusal) {
      this.#watched++;
      if (refusal.correlationId) this.#refused.set(refusal.correlationId, refusal.label);
      const after = await this.#fingerprint();
      for (const [table, digest] of after) if (before.get(table) !== digest) this.#tablesChanged.push(`${refusal.label} changed ${table}`);
    }
    return answer;
  }

  /**
   * After the outboxes drain, reads every topic and looks for the refused requests' ids.
   * `name` says which fuzzing the refusals came from.
   */
  async verdict(target: { brokers: string[]; namespace: string }, name: string): Promise<FuzzFigure> {
    const figure = { name: `${name}: a refused request changed nothing`, runs: this.#watched };
    try {
      const correlationIds = await this.#publishedCorrelationIds(target);
      const failures = tracesOfRefusals(this.#refused, correlationIds, this.#tablesChanged);
      if (failures.length > 0) return { ...figure, figure: `${failures.length} refusals left a trace: ${failures.slice(0, 5).join("; ")}`, ok: false };
      return {
        ...figure,
        figure: `${n(this.#watched)} refusals (${n(this.#refused.size)} naming a correlation id): none of ${n(correlationIds.length)} events on the topics carries one; ${requestOnlyTables.length} request-only tables unchanged by each`,
        ok: true,
      };
    } catch (error) {
      return { ...figure, figure: `not checked: ${(error as Error).message}`, ok: false };
    }
  }

  async #publishedCorrelationIds(target: { brokers: string[]; namespace: string }): Promise<string[]> {
    await outboxesEmpty(this.#db, 60_000);
    const ids: string[] = [];
    for (const topic of allTopics) {
      for (const message of await dumpTopic(target.brokers, physicalTopic(topic, target.namespace))) {
        if (!message.value) continue;
        try {
          ids.push(decodeEnvelope(message.value).correlationId);
        } catch {
          // Poison another fuzzer planted: it carries no request's id.
        }
      }
    }
    return ids;
  }

  async #fingerprint(): Promise<Fingerprint> {
    // One statement for all tables: an md5 of each table's rows in a stable order.
    const sql = requestOnlyTables
      .map((table) => `SELECT '${table}' AS name, md5(coalesce(string_agg(t::text, '|' ORDER BY t::text), '')) AS digest FROM ${table} t`)
      .join(" UNION ALL ");
    const { rows } = await this.#db.query<{ name: string; digest: string }>(sql);
    return new Map(rows.map((r) => [r.name, r.digest]));
  }
}

/** The refused requests whose id an event carries, and the request-only tables a refusal changed. Pure, for the unit test. */
export function tracesOfRefusals(refused: ReadonlyMap<string, string>, eventCorrelationIds: readonly string[], tablesChanged: readonly string[]): string[] {
  const published = new Map<string, number>();
  for (const id of eventCorrelationIds) if (refused.has(id)) published.set(id, (published.get(id) ?? 0) + 1);
  return [...[...published].map(([id, events]) => `${refused.get(id)} was refused, yet ${events} event(s) carry its id ${id}`), ...tablesChanged];
}

const n = (value: number) => value.toLocaleString("en-US");

/** Waits until every service's relay has published what its outbox held: an event still there is not on a topic yet. */
async function outboxesEmpty(db: pg.Pool, timeoutMs: number): Promise<void> {
  const sql = serviceSchemas.map((schema) => `SELECT '${schema}' AS schema, count(*)::int AS pending FROM ${schema}.outbox`).join(" UNION ALL ");
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const pending = (await db.query<{ schema: string; pending: number }>(sql)).rows.filter((r) => r.pending > 0);
    if (pending.length === 0) return;
    if (Date.now() > deadline) throw new Error(`outboxes not drained after ${timeoutMs} ms: ${pending.map((r) => `${r.schema} ${r.pending}`).join(", ")}`);
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}
