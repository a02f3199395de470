import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { openApiDocument } from "../../../../services/intake/src/ports/http/openapi.ts";
import { operationsOf } from "./endpoint-properties.ts";
import { valueOf, type JsonSchema } from "./schema-arbitraries.ts";

// The endpoint fuzzer takes its operations from the served document (ADR 030's routes are fuzzed
// because they are documented, not because anyone listed them), and the case id it sends them is
// a real one when the run has exchanges (knownIdsIn).
describe("the endpoint fuzzer and exchanges' replacements", () => {
  const document = openApiDocument({ order: {} }) as JsonSchema;
  const operations = operationsOf(document);
  const find = (method: string, path: string) => operations.find((o) => o.method === method && o.path === path);

  it("reaches the store's list, the clerk's shipment and the desk's call-off, by case id", () => {
    expect(find("GET", "/v1/stores/{storeId}/replacements")?.query.map((q) => q.name)).toContain("limit");
    expect(find("POST", "/v1/replacements/{caseId}/shipment")?.pathParameters).toEqual(["caseId"]);
    expect(find("POST", "/v1/replacements/{caseId}/call-off")?.pathParameters).toEqual(["caseId"]);
    // ADR 030's third addendum: the desk's move to another store, by case id too.
    expect(find("POST", "/v1/replacements/{caseId}/move")?.pathParameters).toEqual(["caseId"]);
  });

  it("generates bodies of the documented shape for the shipment and the call-off", () => {
    const [shipment] = fc.sample(valueOf(find("POST", "/v1/replacements/{caseId}/shipment")!.body!, document), { numRuns: 1, seed: 1 });
    expect(Object.keys(shipment as object).sort()).toEqual(expect.arrayContaining(["carrier", "trackingNumber"]));
    const [callOff] = fc.sample(valueOf(find("POST", "/v1/replacements/{caseId}/call-off")!.body!, document), { numRuns: 1, seed: 1 });
    expect(Object.keys(callOff as object)).toContain("reason");
    const [move] = fc.sample(valueOf(find("POST", "/v1/replacements/{caseId}/move")!.body!, document), { numRuns: 1, seed: 1 });
    expect(Object.keys(move as object)).toEqual(expect.arrayContaining(["toStoreId", "reason"]));
  });
});
