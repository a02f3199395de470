import type { ServiceError } from "@grpc/grpc-js";
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
