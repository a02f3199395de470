import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { operationsOf } from "./endpoint-properties.ts";
import { nearlyValidValueOf, valueOf, type JsonSchema } from "./schema-arbitraries.ts";

const document: JsonSchema = {
  paths: {
    "/v1/stores/{storeId}/stock": {
      get: { parameters: [{ $ref: "#/components/parameters/StoreId" }, { name: "sku", in: "query", schema: { type: "string", maxLength: 8 } }] },
    },
    "/v1/orders/{orderId}/payments": {
      post: {
        parameters: [{ $ref: "#/components/parameters/OrderId" }],
        requestBody: { content: { "application/json": { schema: { $ref: "#/components/schemas/Payment" } } } },
      },
    },
  },
  components: {
    parameters: {
      StoreId: { name: "storeId", in: "path", required: true, schema: { type: "string" } },
      OrderId: { name: "orderId", in: "path", required: true, schema: { type: "string" } },
    },
    schemas: {
      Payment: {
        type: "object",
        required: ["amount", "method"],
        properties: {
          amount: { $ref: "#/$defs/Money" },
          method: { enum: ["cash", "bank-transfer"] },
          reference: { type: "string", minLength: 1, maxLength: 20 },
          currency: { type: "string", pattern: "^[A-Z]{3}$" },
          at: { type: "string", format: "date-time" },
          lines: { type: "array", maxItems: 2, items: { anyOf: [{ type: "integer", minimum: 1, maximum: 5 }, { type: "null" }] } },
        },
        $defs: { Money: { type: "object", required: ["minor", "currency"], properties: { minor: { type: "integer", minimum: 0 }, currency: { const: "CNY" } } } },
      },
    },
  },
};
const payment = (document.components as JsonSchema).schemas as Record<string, JsonSchema>;

describe("values from the OpenAPI document's schemas", () => {
  it("are of the asked-for shape: required fields, enums, constants, bounds, formats, $refs into the document and the schema's own $defs", () => {
    fc.assert(
      fc.property(valueOf({ $ref: "#/components/schemas/Payment" }, document), (value) => {
        const p = value as Record<string, unknown>;
        expect(["cash", "bank-transfer"]).toContain(p.method);
        expect(p.amount).toEqual({ minor: expect.any(Number), currency: "CNY" });
        expect((p.amount as { minor: number }).minor).toBeGreaterThanOrEqual(0);
        if (p.reference !== undefined) expect((p.reference as string).length).toBeGreaterThanOrEqual(1);
        if (p.currency !== undefined) expect(p.currency).toMatch(/^[A-Z]{3}$/);
        if (p.at !== undefined) expect(new Date(p.at as string).toISOString()).toBe(p.at);
        if (p.lines !== undefined) {
          expect((p.lines as unknown[]).length).toBeLessThanOrEqual(2);
          for (const line of p.lines as unknown[]) expect(line === null || (Number.isInteger(line) && (line as number) >= 1 && (line as number) <= 5)).toBe(true);
        }
      }),
      { numRuns: 200 },
    );
  });

  it("near the schema: mostly well formed, some with a field broken or missing, some strange altogether", () => {
    const samples = fc.sample(nearlyValidValueOf(payment.Payment!, document), { numRuns: 600, seed: 7 });
    const wellFormed = samples.filter((s) => {
      const p = s as Record<string, unknown> | null;
      return typeof p === "object" && p !== null && ["cash", "bank-transfer"].includes(p.method as string) && (p.amount as { currency?: unknown } | undefined)?.currency === "CNY";
    }).length;
    expect(wellFormed).toBeGreaterThan(250);
    expect(wellFormed).toBeLessThan(550);
  });
});

describe("operations of the OpenAPI document", () => {
  it("lists each method of each path with its path parameters, query parameters and body schema, following parameter $refs", () => {
    expect(operationsOf(document)).toEqual([
      { method: "GET", path: "/v1/stores/{storeId}/stock", pathParameters: ["storeId"], query: [{ name: "sku", schema: { type: "string", maxLength: 8 } }] },
      { method: "POST", path: "/v1/orders/{orderId}/payments", pathParameters: ["orderId"], query: [], body: { $ref: "#/components/schemas/Payment" } },
    ]);
  });

  it("refuses a parameter $ref the document does not define, instead of fuzzing without it", () => {
    const broken = { paths: { "/x": { get: { parameters: [{ $ref: "#/components/parameters/Nowhere" }] } } } };
    expect(() => operationsOf(broken)).toThrow(/parameter #\/components\/parameters\/Nowhere/);
  });
});
