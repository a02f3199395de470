import type { FieldError } from "@oms/errors";

/** Collects problems field by field; the first message for a field wins, so each field gets one. */
export interface FieldErrorList {
  add(field: string, message: string): void;
  readonly count: number;
  list(): FieldError[];
}

export function fieldErrorList(): FieldErrorList {
  const byField = new Map<string, string>();
  return {
    add(field, message) {
      if (!byField.has(field)) byField.set(field, message);
    },
    get count() {
      return byField.size;
    },
    list: () => [...byField].map(([field, message]) => ({ field, message })),
  };
}
