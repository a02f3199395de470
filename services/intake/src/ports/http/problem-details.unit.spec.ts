import { Metadata, status } from "@grpc/grpc-js";
import { describe, expect, it } from "vitest";
import { ForbiddenError } from "@oms/errors";
import { IntakeOverloadedError } from "./load-shedding.ts";
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

  it("answers a shed request with 503, the Retry-After it was given and intake's problem shape", () => {
    expect(problemOf(new IntakeOverloadedError(9))).toEqual({
      status: 503,
      body: {
        type: "https://oms.example/problems/unavailable",
        title: "Temporarily unavailable",
        status: 503,
        detail: "intake is busy with more requests than it can take now; nothing of this request was done — retry after 9 s",
        code: "intake.overloaded",
      },
      headers: { "retry-after": "9" },
    });
  });

  it("answers a step the owning service does not offer yet (gRPC UNIMPLEMENTED) with 501, not an opaque 500", () => {
    const unimplemented = Object.assign(new Error("12 UNIMPLEMENTED"), { code: status.UNIMPLEMENTED, details: "", metadata: new Metadata() });
    expect(problemOf(unimplemented)).toMatchObject({ status: 501, body: { code: "dependency.not-implemented" } });
    expect(problemOf(Object.assign(new Error("boom"), { code: status.UNIMPLEMENTED }))).toMatchObject({ status: 500 });
  });
});
