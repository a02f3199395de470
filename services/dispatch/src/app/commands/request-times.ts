import { ValidationError } from "@oms/errors";

/** An ISO 8601 time from a request; empty takes `fallback` when there is one. */
export function timeOf(field: string, value: string, fallback?: Date): Date {
  if (!value && fallback) return fallback;
  if (!value) throw new ValidationError([{ field, message: "is required (ISO 8601)" }]);
  const time = new Date(value);
  if (Number.isNaN(time.getTime())) throw new ValidationError([{ field, message: "is not an ISO 8601 time" }]);
  return time;
}
