import { describe, expect, it } from "vitest";
import { openApiDocument } from "../../../../services/intake/src/ports/http/openapi.ts";
import { ownCatalogueIds } from "./endpoint-properties.ts";

// The endpoint fuzzer changes the catalogue only on ids of its own (ADR 028): a new price or a
// withdrawal of an item the runs order, a store's own price of it at a demo store (ADR 028's
// addendum), would refuse or misprice every later order of the run.
describe("the catalogue's changes the endpoint fuzzer makes", () => {
  const { sku, ids } = ownCatalogueIds("0b2c4d6e-aaaa-bbbb-cccc-000000000000");
  const document = openApiDocument({ order: {} }) as { paths: Record<string, Record<string, unknown>> };
  const changes = Object.entries(document.paths).flatMap(([path, operations]) =>
    Object.keys(operations)
      .filter((method) => ["put", "post", "delete"].includes(method))
      .map((method) => `${method.toUpperCase()} ${path}`),
  );

  it("names only the fuzzer's own item wherever a change names an item: the chain's price, its withdrawal, a store's own price and its removal, an expected restock date", () => {
    const naming = changes.filter((operation) => operation.includes("{sku}"));
    expect(naming).toEqual(
      expect.arrayContaining(["PUT /v1/price-list/{sku}", "POST /v1/price-list/{sku}/withdrawal", "PUT /v1/stores/{storeId}/prices/{sku}", "POST /v1/stores/{storeId}/prices/{sku}/removal", "PUT /v1/stores/{storeId}/stock/{sku}/expected-restock"]),
    );
    for (const operation of naming) expect(ids[`${operation}#sku`], operation).toEqual([sku]);
    expect(sku).toBe("FUZZ-0B2C4D6E");
  });
});
