import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loadDemoChain } from "@oms/service-kit";
import { testInfrastructure } from "@oms/testing";
import { JsonClient } from "../support/http-client.ts";
import { OrderFactory, parseMix } from "../support/order-factory.ts";
import { startSystem, type SystemUnderTest } from "../support/system-under-test.ts";
import { fuzzConsumers } from "./src/fuzz/consumer-properties.ts";
import { fuzzEveryEndpoint, knownIdsIn } from "./src/fuzz/endpoint-properties.ts";
import { fuzzGrpcMethods, grpcAddressesOf } from "./src/fuzz/grpc-properties.ts";
import { fuzzOrderCommands, fuzzOrderIntake } from "./src/fuzz/http-properties.ts";

/**
 * Bad input, property-based (fast-check), on the seven services as processes: every
 * public endpoint answers a success or a clear 4xx with problem details — never a 5xx,
 * a hang or a partial write — and every consumer dead-letters what it cannot read and
 * goes on with the next valid event. Bounded runs: a few hundred requests, a few
 * batches of poison per topic.
 */
let system: SystemUnderTest;
let client: JsonClient;
let db: pg.Pool;
let factory: OrderFactory;

beforeAll(async () => {
  system = await startSystem();
  client = new JsonClient(system.url, { maxSockets: 8, timeoutMs: 15_000 });
  db = new pg.Pool({ connectionString: system.namespace.databaseUrl, max: 2 });
  factory = new OrderFactory(await loadDemoChain(), parseMix(""), system.namespace.name, 3, "FUZZ");
}, 180_000);

afterAll(async () => {
  client?.close();
  await db?.end();
  await system?.stop();
});

describe("bad input", () => {
  it("POST /v1/orders answers 2xx or a 4xx with problem details, and stores nothing it refuses", async () => {
    const figure = await fuzzOrderIntake(client, db, factory, 200);
    expect(figure.figure).not.toBe("");
    expect(figure.ok, figure.figure).toBe(true);
  }, 60_000);

  it("GET /v1/orders/{id}, confirmation and cancellation never answer 5xx, whatever the id, body or caller", async () => {
    const placed = await client.post("/v1/orders", factory.next());
    expect(placed.status).toBe(201);
    const figure = await fuzzOrderCommands(client, String(placed.body.orderId), 150);
    expect(figure.ok, figure.figure).toBe(true);
  }, 60_000);

  it("every operation of the OpenAPI document answers 2xx or a 4xx with problem details, never 5xx", async () => {
    const placed = await client.post("/v1/orders", factory.next());
    expect(placed.status).toBe(201);
    const known = await knownIdsIn(db, String(placed.body.orderId));
    expect(known.taskId!.length, "the placed order was assigned a task to fuzz with").toBeGreaterThan(0);
    const document = (await client.get("/openapi.json")).body as Record<string, unknown>;
    const figure = await fuzzEveryEndpoint(client, document, known, 15);
    expect(figure.ok, figure.figure).toBe(true);
    // Every operation of the document, not a chosen few: the served document has 50 and more.
    expect(Number(/^(\d+) operations/.exec(figure.figure)?.[1])).toBeGreaterThanOrEqual(50);
  }, 180_000);

  it("every gRPC method answers a result or a clear refusal, never INTERNAL, UNKNOWN or a missed deadline", async () => {
    const placed = await client.post("/v1/orders", factory.next());
    expect(placed.status).toBe(201);
    const known = await knownIdsIn(db, String(placed.body.orderId));
    const figure = await fuzzGrpcMethods(grpcAddressesOf(system.stack), known, 15);
    expect(figure.ok, figure.figure).toBe(true);
    expect(Number(/^(\d+) methods/.exec(figure.figure)?.[1])).toBeGreaterThanOrEqual(40);
  }, 180_000);

  it("every consumer dead-letters malformed, truncated and unknown-version events and takes the next valid one", async () => {
    const figure = await fuzzConsumers({ brokers: testInfrastructure().kafkaBrokers, namespace: system.namespace.name, db }, 2);
    expect(figure.ok, figure.figure).toBe(true);
  }, 120_000);
});
