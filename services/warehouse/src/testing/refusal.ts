import { DomainError } from "@oms/errors";

/** For the domain's unit specs: the typed refusal a decision throws (its code and fields to assert on); anything else fails the spec. */
export function refusal(run: () => unknown): DomainError {
  try {
    run();
  } catch (error) {
    if (error instanceof DomainError) return error;
    throw error;
  }
  throw new Error("expected a refusal");
}
