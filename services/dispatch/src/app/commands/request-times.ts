import { ValidationError, type FieldError } from "@oms/errors";

/** An ISO 8601 time from a request; empty takes `fallback` when there is one. */
export function timeOf(field: string, value: string, fallback?: Date): Date {
  if (!value && fallback) return fallback;
  if (!value) throw new ValidationError([{ field, message: "is required (ISO 8601)" }]);
  const time = new Date(value);
  if (Number.isNaN(time.getTime())) throw new ValidationError([{ field, message: "is not an ISO 8601 time" }]);
  return time;
}

/** An optional ISO 8601 time from a request (empty: none); a bad one is added to `errors`, so that a request's errors are told together. */
export function optionalTimeOf(field: string, value: string, errors: FieldError[]): Date | undefined {
  if (!value) return undefined;
  const time = new Date(value);
  if (Number.isNaN(time.getTime())) {
    errors.push({ field, message: "is not an ISO 8601 time" });
    return undefined;
  }
  return time;
}
