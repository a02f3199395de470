import { createHash } from "node:crypto";
import pg from "pg";

const names = new Map<string, string>();
let statementsSent = 0;

/**
 * Statements this process has sent to Postgres, each a round trip (BEGIN and COMMIT
 * included). Per accepted order it is what batching brings down: on a busy machine a
 * round trip's cost is mostly the two context switches it takes, not the statement.
 */
export function statementsSentByThisProcess(): number {
  return statementsSent;
}

/** A name per statement text, the same in every process: a hash of the text. */
function statementName(text: string): string {
  let name = names.get(text);
  if (!name) {
    // Texts are the code's own SQL, a bounded set; the guard only keeps a mistake from growing without end.
    if (names.size > 10_000) names.clear();
    name = `oms_${createHash("sha1").update(text).digest("base64url").slice(0, 24)}`;
    names.set(text, name);
  }
  return name;
}

/**
 * A client that runs every parameterised query as a named prepared statement, so that
 * Postgres parses and plans each statement once per connection instead of on every call
 * (node-postgres sends an unnamed statement by default, parsed and planned each time —
 * for the CTE-heavy statements of the batch paths, much of the server's CPU under load).
 * Texts without parameters (BEGIN, COMMIT, DDL) still go as simple queries. A statement
 * prepared on a connection lives as long as the connection.
 */
export class PreparingClient extends pg.Client {
  // node-postgres's query has many overloads; only (text, values[, callback]) is changed.
  override query(config: any, values?: any, callback?: any): any {
    statementsSent += 1;
    if (typeof config === "string" && Array.isArray(values)) {
      return super.query({ name: statementName(config), text: config, values }, callback);
    }
    return super.query(config, values, callback);
  }
}
