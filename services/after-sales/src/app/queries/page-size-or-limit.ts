import type { FieldError } from "@oms/errors";
import type { KeysetList } from "@oms/postgres";

/**
 * The size of the page asked of an after-sales list. `limit` is the size's name from before the
 * lists were paged (ADR 017, twenty-ninth session's addendum), kept for callers built then: it
 * sizes the page as `pageSize` does, and the page ends with a token as any. Both given is
 * refused naming `limit` rather than one of them silently winning. Problems go to `errors`.
 */
export function pageSizeOrLimit(list: Pick<KeysetList<string>, "sizeIsValid" | "defaultSize">, request: { pageSize: number; limit: number }, errors: FieldError[]): number {
  const pageSizeOk = list.sizeIsValid(request.pageSize, "pageSize", errors);
  const limitOk = list.sizeIsValid(request.limit, "limit", errors);
  if (pageSizeOk && limitOk && request.pageSize > 0 && request.limit > 0) errors.push({ field: "limit", message: "is pageSize's older name: give one of them" });
  return (pageSizeOk ? request.pageSize : 0) || (limitOk ? request.limit : 0) || list.defaultSize;
}
