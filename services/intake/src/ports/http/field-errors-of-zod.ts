import { ValidationError, type FieldError } from "@oms/errors";
import type { z } from "zod";

/**
 * Parses a request part with its zod schema; a wrong input becomes one ValidationError
 * with one message per wrong field, named by its path (`lines[0].quantity`). Messages
 * never repeat the input: it may be personal data.
 */
export function parseOrRefuse<S extends z.ZodType>(schema: S, input: unknown, root = "body"): z.output<S> {
  const tooDeep: PropertyKey[][] = [];
  const unstorable = halfCharacterPaths(input, tooDeep).map((path) => ({ field: pathOf(path, root), message: halfCharacterMessage }));
  // Before zod: what follows a throw inside it (a walk, a structured clone) recurses as deep as the input does.
  if (tooDeep.length > 0) throw new ValidationError(tooDeep.map((path) => ({ field: pathOf(path, root), message: `nests deeper than ${maxNesting} levels` })));
  const result = safeParseOf(schema, input, root);
  if (result.success && unstorable.length === 0) return result.data;
  const wrong = new Map(unstorable.map((error) => [error.field, error]));
  if (!result.success) for (const error of fieldErrorsOf(result.error.issues, root)) if (!wrong.has(error.field)) wrong.set(error.field, error);
  throw new ValidationError([...wrong.values()]);
}

/**
 * zod (4.6) measures the `length` of any object that has one, after a failed type check too, so
 * `{"length":{"toString":""}}` where text or a list belongs throws a TypeError from inside zod (a
 * 500). Only on such a throw: the lengths that cannot be read as a primitive are set aside and the
 * input parsed again, so the caller hears what the field should be; where the schema took them
 * (a free-form object), each is refused by its own path.
 */
function safeParseOf<S extends z.ZodType>(schema: S, input: unknown, root: string): z.ZodSafeParseResult<z.output<S>> {
  try {
    return schema.safeParse(input, { reportInput: true });
  } catch (error) {
    const unmeasurable = unmeasurableLengthPaths(input);
    if (unmeasurable.length === 0) throw error;
    const retried = schema.safeParse(withLengthsCleared(input, unmeasurable), { reportInput: true });
    if (!retried.success) return retried;
    throw new ValidationError(unmeasurable.map((path) => ({ field: pathOf([...path, "length"], root), message: "must be a number or text, not an object that cannot be read as one" })));
  }
}

/** The paths of the objects whose own `length` member is an object JavaScript cannot turn into a number or text. */
function unmeasurableLengthPaths(value: unknown, path: PropertyKey[] = [], found: PropertyKey[][] = []): PropertyKey[][] {
  if (Array.isArray(value)) value.forEach((item, i) => unmeasurableLengthPaths(item, [...path, i], found));
  else if (value !== null && typeof value === "object") {
    const record = value as Record<string, unknown>;
    if (Object.hasOwn(record, "length") && !readableAsPrimitive(record.length)) found.push(path);
    for (const key of Object.keys(record)) unmeasurableLengthPaths(record[key], [...path, key], found);
  }
  return found;
}

function readableAsPrimitive(value: unknown): boolean {
  try {
    // The conversion zod's length check makes when it compares the length with its bound.
    void Number(value);
    return true;
  } catch {
    return false;
  }
}

function withLengthsCleared(input: unknown, paths: readonly PropertyKey[][]): unknown {
  const copy: unknown = structuredClone(input);
  for (const path of paths) {
    const holder = path.reduce<unknown>((at, key) => (at as Record<PropertyKey, unknown>)[key], copy) as Record<string, unknown>;
    holder.length = null;
  }
  return copy;
}

// JSON may escape half of a UTF-16 surrogate pair ("\ud800") on its own; Postgres's jsonb
// refuses it, so such text would fail the whole write at commit (a 500, and a batch of other
// customers' orders retried one by one). Refused here, naming the field, whatever its schema.
const halfCharacterMessage = "holds half of a character (a lone UTF-16 surrogate), which cannot be stored";
const loneSurrogate = /\p{Cs}/u;

/**
 * Deeper than any body the API takes (free-form attributes included). JSON.parse builds any depth
 * a megabyte allows, but the walks here recurse: 10,000 levels (20 kB) overflowed the stack, a 500.
 */
const maxNesting = 100;

/**
 * The paths of the strings (values or keys) in a parsed JSON value that hold a lone surrogate.
 * Every request's body passes through here, so it walks with one path it extends and shortens
 * in place and copies only for a finding (a copy per member was a tenth of intake's allocation
 * per accepted order). A list or object nested deeper than `maxNesting` is not walked: the first
 * such path goes to `tooDeep`.
 */
export function halfCharacterPaths(value: unknown, tooDeep: PropertyKey[][] = []): PropertyKey[][] {
  const found: PropertyKey[][] = [];
  const path: PropertyKey[] = [];
  const visit = (item: unknown) => {
    if (typeof item === "string") {
      if (loneSurrogate.test(item)) found.push([...path]);
    } else if (path.length >= maxNesting && item !== null && typeof item === "object") {
      if (tooDeep.length === 0) tooDeep.push([...path]);
    } else if (Array.isArray(item)) {
      for (let i = 0; i < item.length; i++) {
        path.push(i);
        visit(item[i]);
        path.pop();
      }
    } else if (item !== null && typeof item === "object") {
      // for…in rather than Object.keys: no array of names per object (0.5 KB an order).
      for (const key in item) {
        if (!Object.hasOwn(item, key)) continue;
        path.push(key);
        if (loneSurrogate.test(key)) found.push([...path]);
        else visit((item as Record<string, unknown>)[key]);
        path.pop();
      }
    }
  };
  visit(value);
  return found;
}

export function fieldErrorsOf(issues: readonly z.core.$ZodIssue[], root = "body"): FieldError[] {
  const byField = new Map<string, string>();
  const add = (field: string, message: string) => {
    if (!byField.has(field)) byField.set(field, message);
  };
  for (const issue of issues) {
    if (issue.code === "unrecognized_keys") {
      for (const key of issue.keys) add(pathOf([...issue.path, key], root), "is not a known field");
    } else {
      add(pathOf(issue.path, root), messageOf(issue));
    }
  }
  return [...byField].map(([field, message]) => ({ field, message }));
}

export function pathOf(path: readonly PropertyKey[], root = "body"): string {
  let out = "";
  for (const segment of path) {
    if (typeof segment === "number") out += `[${segment}]`;
    else out += out ? `.${String(segment)}` : String(segment);
  }
  return out || root;
}

const expectedNames: Record<string, string> = {
  int: "a whole number",
  number: "a number",
  string: "a string",
  boolean: "true or false",
  object: "an object",
  array: "an array",
};

function messageOf(issue: z.core.$ZodIssue): string {
  switch (issue.code) {
    case "invalid_type":
      if (issue.input === undefined) return "is required";
      return `must be ${expectedNames[issue.expected] ?? issue.expected}`;
    case "invalid_value":
      return `must be one of ${issue.values.map(String).join(", ")}`;
    case "too_small":
      return boundMessage("at least", issue.origin, issue.minimum, issue.inclusive ?? true);
    case "too_big":
      return boundMessage("at most", issue.origin, issue.maximum, issue.inclusive ?? true);
    case "invalid_format":
      if (issue.format === "datetime") return "must be an ISO 8601 date-time with a time zone, e.g. 2026-05-01T09:00:00+08:00";
      return issue.message;
    default:
      return issue.message;
  }
}

function boundMessage(side: "at least" | "at most", origin: string, bound: number | bigint, inclusive: boolean): string {
  const n = Number(bound);
  if (origin === "string") return side === "at least" && n === 1 ? "must not be empty" : `must be ${side} ${n} characters long`;
  if (origin === "array") return `must have ${side} ${n} ${n === 1 ? "item" : "items"}`;
  if (inclusive) return `must be ${side} ${n}`;
  return `must be ${side === "at least" ? "greater" : "less"} than ${n}`;
}
