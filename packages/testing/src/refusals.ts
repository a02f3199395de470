import { ValidationError, type FieldError } from "@oms/errors";

/**
 * The field errors a call was refused with, for specs of validation to compare (a subpath of its
 * own, `@oms/testing/refusals`, so unit specs do not load the servers' test harness): anything but a
 * ValidationError is thrown on as it came, and a call that was not refused fails the spec.
 */
export function fieldsRefused(run: () => unknown): FieldError[] {
  try {
    run();
  } catch (error) {
    if (error instanceof ValidationError) return error.fields;
    throw error;
  }
  throw new Error("expected the call to be refused with a ValidationError");
}
