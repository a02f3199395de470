import fc from "fast-check";
import type pg from "pg";
import type { JsonClient, JsonResponse } from "../../../support/http-client.ts";
import type { OrderFactory, OrderSubmissionBody } from "../../../support/order-factory.ts";
import type { Refusal, RefusalWatch } from "./refusals.ts";
import { strangeValues } from "./schema-arbitraries.ts";
import { callerHeaders } from "@oms/testing";

/**
 * Property-based fuzzing of intake's public endpoints: whatever arrives, the answer is
 * a success or a clear 4xx with problem details (RFC 9457), never a 5xx, a hang or a
 * dropped connection; and a refused order leaves nothing stored.
 */
export interface FuzzFigure {
  name: string;
  runs: number;
  figure: string;
  ok: boolean;
}

/** A clear answer: 2xx, or 4xx as problem details naming a code. */
export function clearAnswer(response: JsonResponse): string | undefined {
  if (response.status >= 500) return `answered ${response.status}: ${JSON.stringify(response.body).slice(0, 300)}`;
  if (response.status >= 400) {
    const body = response.body as { type?: unknown; title?: unknown; status?: unknown; code?: unknown };
    const contentType = String(response.headers["content-type"] ?? "");
    if (!contentType.includes("application/problem+json")) return `a ${response.status} as ${contentType || "no content type"}, not problem details`;
    if (typeof body?.type !== "string" || typeof body.title !== "string" || body.status !== response.status || typeof body.code !== "string") {
      return `a ${response.status} whose problem details are incomplete: ${JSON.stringify(body).slice(0, 300)}`;
    }
  }
  return undefined;
}

/** A 4xx is a refusal; its events would carry the request's id, which intake answers as X-Request-Id. */
export function httpRefusal(label: string, response: JsonResponse): Refusal | undefined {
  if (response.status < 400 || response.status >= 500) return undefined;
  return { label: `${label}: ${response.status}`, correlationId: String(response.headers["x-request-id"] ?? "") };
}

/** Paths into an order where a mutation lands. */
const orderPaths = [
  [],
  ["channel"],
  ["channelOrderId"],
  ["storeId"],
  ["kind"],
  ["fulfillmentMethod"],
  ["customer"],
  ["customer", "name"],
  ["customer", "phone"],
  ["customer", "address"],
  ["customer", "address", "district"],
  ["customer", "address", "country"],
  ["lines"],
  ["lines", 0],
  ["lines", 0, "sku"],
  ["lines", 0, "quantity"],
  ["lines", 0, "unitPriceMinor"],
  ["totals"],
  ["totals", "grandTotalMinor"],
  ["totals", "currency"],
  ["paymentMethod"],
  ["prepaid"],
  ["requestedFrom"],
  ["confirmedByCustomer"],
] as const;

type Mutation = { path: readonly (string | number)[]; value: unknown; remove: boolean };

function mutate(order: OrderSubmissionBody, mutation: Mutation): unknown {
  if (mutation.path.length === 0) return mutation.remove ? undefined : mutation.value;
  const copy = structuredClone(order) as unknown as Record<string | number, unknown>;
  let node: Record<string | number, unknown> = copy;
  for (const key of mutation.path.slice(0, -1)) {
    const next = node[key];
    if (typeof next !== "object" || next === null) return copy;
    node = next as Record<string | number, unknown>;
  }
  const last = mutation.path.at(-1)!;
  if (mutation.remove) delete node[last];
  else node[last] = mutation.value;
  return copy;
}

const bodies = (factory: OrderFactory) =>
  fc.oneof(
    { weight: 6, arbitrary: fc.record({ path: fc.constantFrom(...orderPaths), value: strangeValues, remove: fc.boolean() }).map((m) => ({ kind: "mutated order", text: JSON.stringify(mutate(factory.next(), m)) ?? "" })) },
    { weight: 2, arbitrary: fc.anything({ maxDepth: 3 }).map((v) => ({ kind: "any value", text: safeJson(v) })) },
    { weight: 1, arbitrary: fc.string({ maxLength: 200 }).map((text) => ({ kind: "not JSON", text })) },
    { weight: 1, arbitrary: fc.constant({ kind: "too large", text: JSON.stringify({ padding: "x".repeat(1_100_000) }) }) },
  );

export function safeJson(value: unknown): string {
  try {
    return JSON.stringify(value) ?? "null";
  } catch {
    return "null";
  }
}

/** POST /v1/orders with mutated, arbitrary and malformed bodies. */
export async function fuzzOrderIntake(client: JsonClient, db: pg.Pool, factory: OrderFactory, numRuns: number): Promise<FuzzFigure> {
  const statuses = new Map<number, number>();
  let stored = 0;
  try {
    await fc.assert(
      fc.asyncProperty(bodies(factory), async ({ kind, text }) => {
        const response = await postRefusingOversize(client, kind, text);
        if (response === "closed while uploading") {
          statuses.set(413, (statuses.get(413) ?? 0) + 1);
          return;
        }
        statuses.set(response.status, (statuses.get(response.status) ?? 0) + 1);
        const problem = clearAnswer(response);
        if (problem) throw new Error(problem);
        if (response.status >= 400) {
          const channelOrderId = channelOrderIdOf(text);
          if (channelOrderId) {
            const { rows } = await db.query("SELECT 1 FROM intake.orders WHERE channel_order_id = $1", [channelOrderId]);
            if (rows.length > 0) throw new Error(`refused with ${response.status} but stored as an order: ${channelOrderId}`);
          }
        } else stored++;
      }),
      { numRuns },
    );
    return { name: "POST /v1/orders: always 2xx or 4xx problem details, nothing stored on 4xx", runs: numRuns, figure: figureOf(statuses, `${stored} valid by chance and accepted`), ok: true };
  } catch (error) {
    return { name: "POST /v1/orders: always 2xx or 4xx problem details, nothing stored on 4xx", runs: numRuns, figure: failureOf(error), ok: false };
  }
}

/**
 * Fastify answers a body over the limit with 413 and `Connection: close` without reading
 * it (RFC 9110 lets a server close rather than swallow the rest); a client still writing
 * the body may then see the connection reset before it reads the answer. That is a clear
 * refusal too, for the oversized body only; any other dropped connection is a finding.
 */
async function postRefusingOversize(client: JsonClient, kind: string, text: string): Promise<JsonResponse | "closed while uploading"> {
  try {
    return await client.request("POST", "/v1/orders", text, { "content-type": "application/json" });
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (kind === "too large" && (code === "EPIPE" || code === "ECONNRESET")) return "closed while uploading";
    throw error;
  }
}

/** GET /v1/orders/{id}, confirmation and cancellation with arbitrary ids, bodies and callers. */
export async function fuzzOrderCommands(client: JsonClient, knownOrderId: string, numRuns: number, watch?: RefusalWatch): Promise<FuzzFigure> {
  const statuses = new Map<number, number>();
  const ids = fc.oneof(fc.constant(knownOrderId), fc.uuid(), fc.string({ maxLength: 120 }).map(encodeURIComponent), fc.constantFrom("..%2F..%2Fetc", "%00", "a".repeat(300)));
  const callers = fc.oneof(
    fc.constant<Record<string, string>>({}),
    // Signed by the provider the gateway trusts, naming anyone — or nobody an outside caller can be.
    fc.oneof(fc.string({ maxLength: 80 }), fc.constantFrom("staff:x:order-taker", "customer:c-1", "system:x", "staff::", "platform:taobao")).map((actor) => callerHeaders(actor)),
    // Not a token it signed: anything at all, and near misses.
    fc.string({ maxLength: 200 }).map((raw) => ({ authorization: raw.replace(/[^\x20-\x7e]/g, "?") })),
    fc.constantFrom("Bearer", "Bearer a.b.c", "Bearer eyJhbGciOiJub25lIn0.eyJzdWIiOiJ4In0.", "bearer  x").map((raw) => ({ authorization: raw })),
  );
  const request = fc.record({
    method: fc.constantFrom("GET", "POST confirmation", "POST cancellation"),
    id: ids,
    headers: callers,
    body: fc.oneof(fc.constant(undefined), fc.jsonValue({ maxDepth: 2 }).map(safeJson), fc.string({ maxLength: 100 })),
  });
  try {
    await fc.assert(
      fc.asyncProperty(request, async ({ method, id, headers, body }) => {
        const send = () =>
          method === "GET"
            ? client.request("GET", `/v1/orders/${id}`, undefined, headers)
            : client.request("POST", `/v1/orders/${id}/${method.slice(5)}`, body, body === undefined ? headers : { ...headers, "content-type": "application/json" });
        const label = `${method} /v1/orders/${id.length > 40 ? `${id.slice(0, 40)}… (${id.length} characters)` : id}`;
        const response = watch ? await watch.send(send, (answer) => httpRefusal(label, answer)) : await send();
        statuses.set(response.status, (statuses.get(response.status) ?? 0) + 1);
        const problem = clearAnswer(response);
        if (problem) throw new Error(`${label}: ${problem}`);
      }),
      { numRuns },
    );
    return { name: "GET /v1/orders/{id}, confirmation, cancellation: never 5xx", runs: numRuns, figure: figureOf(statuses, ""), ok: true };
  } catch (error) {
    return { name: "GET /v1/orders/{id}, confirmation, cancellation: never 5xx", runs: numRuns, figure: failureOf(error), ok: false };
  }
}

function channelOrderIdOf(text: string): string | undefined {
  try {
    const value = (JSON.parse(text) as { channelOrderId?: unknown } | null)?.channelOrderId;
    // Postgres cannot hold a NUL character, so an id carrying one was never stored (and cannot be looked up).
    return typeof value === "string" && !value.includes("\u0000") ? value : undefined;
  } catch {
    return undefined;
  }
}

function figureOf(statuses: Map<number, number>, extra: string): string {
  const answers = [...statuses].sort((a, b) => a[0] - b[0]).map(([s, c]) => `${s}×${c}`).join(", ");
  return `answers ${answers}${extra ? `; ${extra}` : ""}`;
}

/** fast-check's failure, short: the shrunk counterexample and the error it caused. */
export function failureOf(error: unknown): string {
  const message = (error as Error).message ?? String(error);
  const counterexample = /Counterexample: (.*)/.exec(message)?.[1] ?? "";
  const inner = (error as { cause?: unknown }).cause;
  const cause = inner instanceof Error ? inner.message : (/Got (?:error|AssertionError): (.*)/.exec(message)?.[1] ?? message.split("\n")[0] ?? "");
  return `${cause.slice(0, 400)}${counterexample ? ` — counterexample ${counterexample.slice(0, 200)}${counterexample.length > 200 ? "…" : ""}` : ""}`;
}
