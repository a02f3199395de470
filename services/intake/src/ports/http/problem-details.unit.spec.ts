import { Metadata, status } from "@grpc/grpc-js";
import { describe, expect, it } from "vitest";
import { ForbiddenError } from "@oms/errors";
import { problemOf } from "./problem-details.ts";

describe("problem details", () => {
  it("answers a refused role with 403, saying who may", () => {
    const problem = problemOf(new ForbiddenError("caller.not-permitted", "only a finance clerk may close order; the caller is customer"));
    expect(problem).toEqual({
      status: 403,
      headers: {},
      body: {
        type: "https://oms.example/problems/forbidden",
        title: "Forbidden",
        status: 403,
        detail: "only a finance clerk may close order; the caller is customer",
        code: "caller.not-permitted",
      },
    });
  });

  it("answers a step the owning service does not offer yet (gRPC UNIMPLEMENTED) with 501, not an opaque 500", () => {
    const unimplemented = Object.assign(new Error("12 UNIMPLEMENTED"), { code: status.UNIMPLEMENTED, details: "", metadata: new Metadata() });
    expect(problemOf(unimplemented)).toMatchObject({ status: 501, body: { code: "dependency.not-implemented" } });
    expect(problemOf(Object.assign(new Error("boom"), { code: status.UNIMPLEMENTED }))).toMatchObject({ status: 500 });
  });
});
