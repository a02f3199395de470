/**
 * The path of the first text field of a request holding a NUL character, if any. No text
 * in this domain has one and Postgres cannot store one (it refuses the statement), so such
 * a request is refused at the edge, naming the field, rather than failing deep inside a use
 * case as an internal error. Protobuf strings may carry it; JSON over HTTP is checked too.
 */
export function fieldHoldingNul(value: unknown, path = ""): string | undefined {
  if (typeof value === "string") return value.includes("\u0000") ? path || "request" : undefined;
  if (typeof value !== "object" || value === null || value instanceof Uint8Array) return undefined;
  const entries: [string, unknown][] = Array.isArray(value) ? value.map((item, i) => [`${path}[${i}]`, item]) : Object.entries(value).map(([key, child]) => [path ? `${path}.${key}` : key, child]);
  for (const [childPath, child] of entries) {
    const found = fieldHoldingNul(child, childPath);
    if (found) return found;
  }
  return undefined;
}
