import { status, type ServiceError } from "@grpc/grpc-js";
import { describe, expect, it } from "vitest";
import { ValidationError } from "@oms/errors";
import { fromGrpcError, toGrpcError } from "./errors.ts";

describe("domain errors over gRPC", () => {
  it("carries field messages that quote any text as printable ASCII metadata, read back as the same fields", () => {
    // What a caller sent, quoted back: control bytes, a replacement character, Chinese, DEL, an emoji.
    const fields = [{ field: "step", message: 'must be one of pick, pack, ship, got "\u001a\u0006p\ufffd$ 上海 \u007f 😀"' }];

    const sent = toGrpcError(new ValidationError(fields));

    const raw = String(sent.metadata!.get("oms-field-errors")[0]);
    expect(raw).toMatch(/^[\x20-\x7e]*$/);
    expect(fromGrpcError({ ...sent, message: "", name: "Error" } as ServiceError)).toMatchObject({ kind: "validation", fields });
  });
});

describe("failures that are not domain errors, over gRPC", () => {
  /** A SQLSTATE error as node-postgres raises it. */
  const sqlStateError = (code: string, message: string) => Object.assign(new Error(message), { code, severity: "FATAL" });

  it.each([
    ["the database restarting (57P01)", sqlStateError("57P01", "terminating connection due to administrator command")],
    ["a dropped connection", new Error("Connection terminated unexpectedly")],
    ["a refused connection", Object.assign(new Error("connect ECONNREFUSED 127.0.0.1:5432"), { code: "ECONNREFUSED" })],
    ["a deadlock", sqlStateError("40P01", "deadlock detected")],
  ])("answers %s as UNAVAILABLE, which the caller reads as a retryable UnavailableError", (_case, error) => {
    const sent = toGrpcError(error);

    expect(sent).toMatchObject({ code: status.UNAVAILABLE });
    expect(sent.details).not.toContain("127.0.0.1");
    expect(fromGrpcError({ ...sent, message: "", name: "Error" } as ServiceError)).toMatchObject({ kind: "unavailable", code: "grpc.unavailable" });
  });

  it("answers a bug as INTERNAL, without its message", () => {
    expect(toGrpcError(new TypeError("Cannot read properties of undefined (reading 'lines')"))).toEqual({ code: status.INTERNAL, details: "internal error" });
  });
});
