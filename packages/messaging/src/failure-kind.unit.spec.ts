import { describe, expect, it } from "vitest";
import pg from "pg";
import { MalformedEventError } from "@oms/contracts";
import { ConflictError, failureKindOf, IllegalStateError, NotFoundError, UnavailableError, ValidationError } from "@oms/errors";

/** A server error as node-postgres raises it: DatabaseError with the SQLSTATE in `code`. */
function pgError(code: string, message: string): pg.DatabaseError {
  const error = new pg.DatabaseError(message, message.length, "error");
  error.code = code;
  error.severity = "FATAL";
  return error;
}

/** A socket error as Node raises it. */
function systemError(code: string, syscall = "connect"): NodeJS.ErrnoException {
  return Object.assign(new Error(`${syscall} ${code} 127.0.0.1:5432`), { code, errno: -1, syscall });
}

/** A gRPC ServiceError as @grpc/grpc-js raises it. */
function grpcError(code: number, details: string): Error {
  return Object.assign(new Error(`${code} ${details}`), { code, details, metadata: {} });
}

describe("failure kind", () => {
  it.each([
    ["57P01 admin_shutdown", pgError("57P01", "terminating connection due to administrator command")],
    ["57P02 crash_shutdown", pgError("57P02", "terminating connection because of crash of another server process")],
    ["57P03 cannot_connect_now", pgError("57P03", "the database system is shutting down")],
    ["08006 connection_failure", pgError("08006", "connection failure")],
    ["08001 unable to connect", pgError("08001", "could not connect to server")],
    ["08P01 protocol violation", pgError("08P01", "protocol violation")],
    ["53300 too_many_connections", pgError("53300", "sorry, too many clients already")],
    ["25006 on a standby after failover", pgError("25006", "cannot execute INSERT in a read-only transaction")],
    ["40001 after its retries", pgError("40001", "could not serialize access due to concurrent update")],
    ["40P01 after its retries", pgError("40P01", "deadlock detected")],
    ["ECONNREFUSED", systemError("ECONNREFUSED")],
    ["ECONNRESET", systemError("ECONNRESET", "read")],
    ["ETIMEDOUT", systemError("ETIMEDOUT")],
    ["EPIPE", systemError("EPIPE", "write")],
    ["pg: Connection terminated unexpectedly", new Error("Connection terminated unexpectedly")],
    ["pg: Connection terminated due to connection timeout", new Error("Connection terminated due to connection timeout", { cause: new Error("Connection terminated unexpectedly") })],
    ["pg: broken client", new Error("Client has encountered a connection error and is not queryable")],
    ["pg pool: connect timeout", new Error("timeout exceeded when trying to connect")],
    ["gRPC UNAVAILABLE", grpcError(14, "No connection established")],
    ["gRPC DEADLINE_EXCEEDED", grpcError(4, "Deadline exceeded")],
    ["UnavailableError", new UnavailableError("billing.unreachable", "billing cannot be reached")],
    // withTransaction turns 40001/40P01 into a ConflictError with the pg error as its cause.
    ["ConflictError caused by a deadlock", new ConflictError("db.concurrent-update", "a concurrent update won; retry", { cause: pgError("40P01", "deadlock detected") })],
    ["AggregateError of refused connections", Object.assign(new AggregateError([systemError("ECONNREFUSED"), systemError("ECONNREFUSED")], ""), { code: "ECONNREFUSED" })],
    ["AggregateError without a code of its own", new AggregateError([systemError("EHOSTUNREACH")], "")],
  ])("%s is the infrastructure's failure: never dead-lettered", (_name, error) => {
    expect(failureKindOf(error)).toBe("infrastructure");
  });

  it.each([
    ["an undecodable message", new MalformedEventError("not an event envelope: index out of range")],
    ["a validation error", new ValidationError([{ field: "orderId", message: "is required" }])],
    ["a domain refusal", new IllegalStateError("reservation.shipped", "reservation r-1 is shipped; it cannot be released")],
    ["a missing aggregate", new NotFoundError("reservation.not-found", "no reservation r-1")],
    ["a domain conflict without a database cause", new ConflictError("stock.moved-while-reserving", "only 1 of 2 lines could be reserved")],
    ["a unique violation", pgError("23505", "duplicate key value violates unique constraint")],
    ["invalid input for a column", pgError("22P02", "invalid input syntax for type uuid")],
    ["a cancelled statement (statement_timeout)", pgError("57014", "canceling statement due to statement timeout")],
    ["a bug the message triggers", new TypeError("Cannot read properties of undefined (reading 'lines')")],
    ["gRPC INVALID_ARGUMENT", grpcError(3, "orderId: is required")],
    ["a number thrown", 42],
    ["nothing at all", undefined],
  ])("%s is the message's failure: dead-lettered after its retries", (_name, error) => {
    expect(failureKindOf(error)).toBe("message");
  });

  it("survives a cause chain that loops", () => {
    const a = new Error("a") as Error & { cause?: unknown };
    const b = new Error("b", { cause: a });
    a.cause = b;
    expect(failureKindOf(a)).toBe("message");
  });
});
