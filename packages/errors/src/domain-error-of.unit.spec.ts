import { describe, expect, it } from "vitest";
import { domainErrorOf, IllegalStateError, NotFoundError, toProblemDetails, ValidationError } from "./index.ts";

describe("domainErrorOf", () => {
  it("rebuilds the error of a kind with its code and message, answered as the same problem", () => {
    const refusal = domainErrorOf("illegal-state", "reservation.not-picked", "reservation r-1 is ready-to-pick; only a picked reservation can be packed");
    expect(refusal).toBeInstanceOf(IllegalStateError);
    expect(toProblemDetails(refusal)).toMatchObject({ status: 409, code: "reservation.not-picked", detail: expect.stringContaining("r-1") });
    expect(domainErrorOf("not-found", "reservation.not-found", "no reservation r-2")).toBeInstanceOf(NotFoundError);
  });

  it("tells an unknown kind as a validation error rather than losing its code and message", () => {
    const refusal = domainErrorOf("toString", "wave.strange", "a kind this version does not know");
    expect(refusal).toBeInstanceOf(ValidationError);
    expect(toProblemDetails(refusal)).toMatchObject({ status: 400, code: "wave.strange", detail: "a kind this version does not know" });
  });
});
