import fc from "fast-check";

/**
 * fast-check values for the JSON Schemas of intake's OpenAPI document (draft 2020-12, as
 * zod writes them). A fuzzer that only sends noise is refused at the first validation
 * and never reaches a use case; values of the asked-for shape get past validation, and
 * a shape with one field broken probes the validation itself.
 */
export type JsonSchema = { [key: string]: unknown };

/** Where `$ref`s point: the OpenAPI document for `#/components/…`, the schema's own root for `#/$defs/…`. */
interface Scope {
  document: JsonSchema;
  root: JsonSchema;
}

const MAX_DEPTH = 6;

/** Values that are wrong in most places a field can be: types, sizes, encodings, injections. */
export const strangeValues = fc.oneof(
  fc.jsonValue({ maxDepth: 3 }),
  fc.string({ unit: "grapheme", maxLength: 40 }),
  fc.string({ minLength: 5_000, maxLength: 20_000 }),
  fc.constantFrom(-1, 0, 1e308, -0, 2 ** 53 + 1, 1.5, "", " ", "\u0000", "' OR 1=1 --", "<script>", "null", "NaN", true, null, [], {}),
  // Members JSON may give an object that shadow what JavaScript reaches for when it turns a value into
  // text or a number, or reads its length: zod measured `length` even of an object (a 500 found in CI).
  fc.constantFrom(...['{"length":{"toString":""}}', '{"toString":"","valueOf":""}', '{"__proto__":{"isAdmin":true}}'].map((json) => JSON.parse(json) as unknown)),
);

/** A value of the schema's shape (as far as a schema says; patterns are not followed). */
export function valueOf(schema: JsonSchema, document: JsonSchema, depth = 0, scope: Scope = { document, root: schema }): fc.Arbitrary<unknown> {
  if (depth > MAX_DEPTH) return fc.constant(null);
  const next = (child: unknown, childScope = scope) => valueOf((child ?? {}) as JsonSchema, document, depth + 1, childScope);
  if (typeof schema.$ref === "string") {
    const target = resolve(schema.$ref, scope);
    return valueOf(target.schema, document, depth + 1, target.scope);
  }
  if ("const" in schema) return fc.constant(schema.const);
  if (Array.isArray(schema.enum) && schema.enum.length > 0) return fc.constantFrom(...schema.enum);
  const alternatives = (schema.anyOf ?? schema.oneOf) as unknown[] | undefined;
  if (Array.isArray(alternatives) && alternatives.length > 0) return fc.oneof(...alternatives.map((alternative) => next(alternative)));
  if (Array.isArray(schema.allOf) && schema.allOf.length > 0) return next(schema.allOf[0]);
  if (Array.isArray(schema.type)) return fc.oneof(...schema.type.map((type) => next({ ...schema, type })));
  const examples = Array.isArray(schema.examples) ? schema.examples : [];
  const shaped = valueOfType(schema, next);
  return examples.length > 0 ? fc.oneof(shaped, fc.constantFrom(...examples)) : shaped;
}

function valueOfType(schema: JsonSchema, next: (child: unknown) => fc.Arbitrary<unknown>): fc.Arbitrary<unknown> {
  const number = (key: string) => (typeof schema[key] === "number" ? (schema[key] as number) : undefined);
  switch (schema.type) {
    case "string":
      return stringOf(schema);
    case "integer": {
      const min = number("minimum") ?? (number("exclusiveMinimum") ?? -1_001) + 1;
      const max = number("maximum") ?? (number("exclusiveMaximum") ?? 1_000_001) - 1;
      return fc.integer({ min: Math.max(min, Number.MIN_SAFE_INTEGER), max: Math.min(Math.max(max, min), Number.MAX_SAFE_INTEGER) });
    }
    case "number":
      return fc.double({ noNaN: true, noDefaultInfinity: true, min: number("minimum") ?? -1e6, max: number("maximum") ?? 1e6 });
    case "boolean":
      return fc.boolean();
    case "null":
      return fc.constant(null);
    case "array":
      return fc.array(next(schema.items), { minLength: number("minItems") ?? 0, maxLength: Math.max(number("minItems") ?? 0, Math.min(number("maxItems") ?? 3, 3)) });
    case "object":
      return objectOf(schema, next);
    default:
      // No type: the schema allows anything.
      return fc.jsonValue({ maxDepth: 2 });
  }
}

function stringOf(schema: JsonSchema): fc.Arbitrary<string> {
  switch (schema.format) {
    case "date-time":
      return fc.date({ min: new Date("2020-01-01T00:00:00Z"), max: new Date("2030-12-31T00:00:00Z"), noInvalidDate: true }).map((d) => d.toISOString());
    case "date":
      return fc.date({ min: new Date("2020-01-01T00:00:00Z"), max: new Date("2030-12-31T00:00:00Z"), noInvalidDate: true }).map((d) => d.toISOString().slice(0, 10));
    case "uuid":
      return fc.uuid();
    case "email":
      return fc.emailAddress();
    default: {
      const matching = typeof schema.pattern === "string" ? stringMatching(schema.pattern) : undefined;
      if (matching) return matching;
      const minLength = typeof schema.minLength === "number" ? schema.minLength : 0;
      const maxLength = typeof schema.maxLength === "number" ? Math.min(schema.maxLength, 60) : 60;
      return fc.string({ minLength: Math.min(minLength, maxLength), maxLength: Math.max(minLength, maxLength) });
    }
  }
}

/** Strings matching the schema's pattern (a currency code, a phone number), where fast-check can follow it. */
function stringMatching(pattern: string): fc.Arbitrary<string> | undefined {
  try {
    return fc.stringMatching(new RegExp(pattern));
  } catch {
    return undefined; // a pattern fast-check cannot generate from: any string instead
  }
}

function objectOf(schema: JsonSchema, next: (child: unknown) => fc.Arbitrary<unknown>): fc.Arbitrary<unknown> {
  const properties = (schema.properties ?? {}) as Record<string, unknown>;
  const required = new Set(Array.isArray(schema.required) ? (schema.required as string[]) : []);
  const model = Object.fromEntries(Object.entries(properties).map(([name, child]) => [name, next(child)]));
  if (Object.keys(model).length === 0) return fc.dictionary(fc.string({ maxLength: 12 }), fc.jsonValue({ maxDepth: 1 }), { maxKeys: 3 });
  return fc.record(model, { requiredKeys: Object.keys(model).filter((name) => required.has(name)) });
}

function resolve(ref: string, scope: Scope): { schema: JsonSchema; scope: Scope } {
  if (!ref.startsWith("#/")) throw new Error(`cannot follow $ref ${ref}: only local references are resolved`);
  const fromDocument = ref.startsWith("#/components/");
  let node: unknown = fromDocument ? scope.document : scope.root;
  for (const part of ref.slice(2).split("/")) {
    node = (node as Record<string, unknown> | undefined)?.[part.replace(/~1/g, "/").replace(/~0/g, "~")];
  }
  if (typeof node !== "object" || node === null) throw new Error(`$ref ${ref} points at nothing`);
  const schema = node as JsonSchema;
  return { schema, scope: fromDocument ? { document: scope.document, root: schema } : scope };
}

/**
 * Values near the schema: mostly well formed, some with one top-level field replaced by
 * a strange value or left out, some strange altogether.
 */
export function nearlyValidValueOf(schema: JsonSchema, document: JsonSchema): fc.Arbitrary<unknown> {
  const sound = valueOf(schema, document);
  const broken = fc.tuple(sound, fc.nat(), strangeValues, fc.boolean()).map(([value, pick, strange, remove]) => {
    if (typeof value !== "object" || value === null || Array.isArray(value)) return strange;
    const keys = Object.keys(value);
    if (keys.length === 0) return { [String(pick)]: strange };
    const key = keys[pick % keys.length]!;
    const copy: Record<string, unknown> = { ...value };
    if (remove) delete copy[key];
    else copy[key] = strange;
    return copy;
  });
  return fc.oneof({ weight: 3, arbitrary: sound }, { weight: 2, arbitrary: broken }, { weight: 1, arbitrary: strangeValues });
}
