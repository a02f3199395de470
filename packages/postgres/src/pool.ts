import pg from "pg";
import { PreparingClient } from "./preparing-client.ts";

export type { Pool, PoolClient, QueryResultRow } from "pg";

// int8 (bigint) columns hold minor units and sequence numbers that stay far below 2^53;
// reading them as numbers keeps money arithmetic in integers without string juggling.
pg.types.setTypeParser(pg.types.builtins.INT8, (value) => Number(value));

export interface PoolConfig {
  url: string;
  /** The schema this pool works in; set as the search_path of every connection. */
  schema: string;
  applicationName: string;
  max?: number;
  /** Told when the server drops a connection (restart, failover); the pool replaces it. */
  onConnectionError?: (error: Error) => void;
}

/** A pool whose connections see only the service's own schema by default. */
export function createPool(config: PoolConfig): pg.Pool {
  const pool = new pg.Pool({
    Client: PreparingClient,
    connectionString: config.url,
    max: config.max ?? 8,
    application_name: config.applicationName,
    options: `-c search_path=${quoteIdentifier(config.schema)}`,
    idleTimeoutMillis: 30_000,
    connectionTimeoutMillis: 10_000,
  });
  // A client that loses its server (Postgres restart) emits "error" — on the pool when
  // idle, on the client itself when checked out. Without listeners that crashes the
  // process; with them, the query in flight fails (and its transaction is retried by
  // its caller) and the pool replaces the connection.
  const handler = config.onConnectionError ?? (() => {});
  // pg-pool hangs the dropped client on an idle connection's error (`err.client`); a logger
  // serializing the error would print all of it: connection parameters, prepared SQL.
  const report = (error: Error) => {
    delete (error as { client?: unknown }).client;
    handler(error);
  };
  pool.on("error", (error) => report(error));
  pool.on("connect", (client) => client.on("error", (error) => report(error)));
  return pool;
}

export function quoteIdentifier(identifier: string): string {
  if (!/^[a-z_][a-z0-9_]*$/.test(identifier)) {
    throw new Error(`not a safe SQL identifier: ${JSON.stringify(identifier)}`);
  }
  return `"${identifier}"`;
}

/** Same server and credentials, another database. */
export function withDatabase(baseUrl: string, database: string): string {
  const url = new URL(baseUrl);
  url.pathname = `/${database}`;
  return url.toString();
}

/** The URL without its password, for messages and logs. */
export function redactUrl(rawUrl: string): string {
  const url = new URL(rawUrl);
  if (url.password) url.password = "***";
  return url.toString();
}
