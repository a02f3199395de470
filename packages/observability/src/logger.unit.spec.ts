import { Writable } from "node:stream";
import { describe, expect, it } from "vitest";
import { createLogger } from "./logger.ts";

function capture() {
  const lines: string[] = [];
  const destination = new Writable({
    write(chunk, _encoding, done) {
      lines.push(String(chunk));
      done();
    },
  });
  return { lines, logger: createLogger({ service: "test", pretty: false, destination }) };
}

/** A database error as node-postgres raises it for a row a constraint refused. */
function databaseError(): Error {
  return Object.assign(new Error('new row for relation "orders" violates check constraint "orders_total_positive"'), {
    code: "23514",
    table: "orders",
    constraint: "orders_total_positive",
    detail: "Failing row contains (o-1, Zhou Lan, +86 138 0013 8000, 88 Nanjing West Road).",
    where: 'JSON data, line 1: {"name":"Zhou Lan"...',
    internalQuery: "INSERT INTO orders VALUES ('Zhou Lan')",
  });
}

describe("the logger", () => {
  it("keeps what a database error says went wrong and drops the data it quotes", () => {
    const { lines, logger } = capture();
    logger.error({ err: databaseError(), orderId: "o-1" }, "saving the order failed");
    logger.error({ err: new Error("the batch failed", { cause: databaseError() }) }, "batch failed");
    const [direct, wrapped] = lines.map((line) => JSON.parse(line));
    expect(direct.err).toMatchObject({ code: "23514", table: "orders", constraint: "orders_total_positive", detail: "[redacted]", where: "[redacted]" });
    expect(direct.orderId).toBe("o-1");
    expect(wrapped.err.message).toContain("the batch failed");
    for (const line of lines) {
      expect(line).not.toContain("Zhou Lan");
      expect(line).not.toContain("+86 138");
    }
  });

  it("censors personal fields a handler logs by mistake", () => {
    const { lines, logger } = capture();
    logger.info({ customer: { name: "Zhou Lan" }, order: { phone: "+86 138 0013 8000" } }, "oops");
    expect(lines.join("")).not.toMatch(/Zhou Lan|\+86 138/);
  });
});
