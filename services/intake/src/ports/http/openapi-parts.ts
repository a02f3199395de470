import { z } from "zod";

/** Building blocks of the OpenAPI document, shared by its parts (openapi*.ts). */

export const jsonSchemaOf = (schema: z.ZodType, io: "input" | "output") => {
  const { $schema: _dialect, ...rest } = z.toJSONSchema(schema, { io, target: "draft-2020-12", unrepresentable: "any" });
  return rest;
};

export const ref = (name: string) => ({ $ref: `#/components/schemas/${name}` });
export const json = (schema: object, example?: unknown) => ({ "application/json": { schema, ...(example === undefined ? {} : { example }) } });
export const problem = (description: string) => ({ description, content: { "application/problem+json": { schema: ref("Problem") } } });
export const requestIdHeader = { "X-Request-Id": { description: "The request's id; events it causes carry it as correlation id.", schema: { type: "string" } } };
export const ok = (description: string, schemaName: string) => ({ description, headers: requestIdHeader, content: json(ref(schemaName)) });
export const body = (schemaName: string, example: unknown) => ({ required: true, content: json(ref(schemaName), example) });

/**
 * Callers prove who they are with a bearer token from the chain's identity provider
 * (ADR 022): staff and customers signed in; without one, the caller
 * is an anonymous customer, who may submit an order and little else.
 */
export const securitySchemes = {
  bearer: {
    type: "http",
    scheme: "bearer",
    bearerFormat: "JWT",
    description:
      "A token signed by the chain's identity provider (EdDSA, ES256/384, RS256 or PS256), for audience oms-gateway: " +
      "sub the caller's id, kind staff|customer|platform, and role for staff (e.g. order-taker, warehouse-clerk, finance), and iat, when it was issued. " +
      "A token that is expired, issued longer ago than INTAKE_TOKEN_MAX_AGE_SECONDS (a day by default), withdrawn (POST /v1/token-revocations), signed by another key or names nobody is refused with 401, never read as anonymous.",
  },
};

export const parameters = {
  XRequestId: {
    name: "X-Request-Id",
    in: "header",
    required: false,
    description: "Your id for this request (letters, digits, . _ : -, up to 128); one is generated otherwise.",
    schema: { type: "string" },
  },
  IdempotencyKey: {
    name: "Idempotency-Key",
    in: "header",
    required: false,
    description: "Makes the request idempotent: a repeat with the same key is answered with the same order.",
    schema: { type: "string", minLength: 1, maxLength: 255 },
  },
  OrderId: { name: "orderId", in: "path", required: true, schema: { type: "string" } },
  ReservationId: {
    name: "reservationId",
    in: "path",
    required: true,
    description:
      'The reservation id as GET /v1/orders/{orderId} gives it (reservationId). It contains slashes ("<orderId>/reservation/1"): ' +
      "send it URL-encoded, e.g. 6f1c…%2Freservation%2F1.",
    schema: { type: "string" },
    example: "6f1c2a9e-0d4b-4c1e-9a57-3b8f0e2d7c41%2Freservation%2F1",
  },
  StoreId: { name: "storeId", in: "path", required: true, schema: { type: "string" }, example: "store-sh-jingan" },
};

export const common = [{ $ref: "#/components/parameters/XRequestId" }];
export const orderParameters = [{ $ref: "#/components/parameters/OrderId" }, ...common];
export const reservationParameters = [{ $ref: "#/components/parameters/ReservationId" }, ...common];
export const storeParameters = [{ $ref: "#/components/parameters/StoreId" }, ...common];

/** Query parameters from the zod schema the query is parsed with, so they cannot drift. */
export function queryParametersOf(schema: z.ZodType) {
  const { properties = {}, required = [] } = jsonSchemaOf(schema, "input") as { properties?: Record<string, { description?: string }>; required?: string[] };
  return Object.entries(properties).map(([name, { description, ...property }]) => ({
    name,
    in: "query",
    required: required.includes(name),
    ...(description ? { description } : {}),
    schema: property,
  }));
}

/** "Who may" for a step's description, so the document says what a 403 means. */
export const forbidden = (who: string) => problem(`The caller is not ${who}.`);

/** The `If-Match` of a versioned change (the catalogue's, a marketplace's settings, a store's price): `read` names what the version is of. */
export const ifMatchParameter = (read = "The version read") => ({
  name: "If-Match",
  in: "header",
  required: false,
  description: `${read} (its ETag, e.g. "3"): the change is made only if it is still the one in force, otherwise 412 and nothing is written.`,
  schema: { type: "string" },
});

/** An item of the chain's price list, in a path. */
export const skuParameter = { name: "sku", in: "path", required: true, schema: { type: "string", maxLength: 64 }, example: "KETTLE-1L7" };
