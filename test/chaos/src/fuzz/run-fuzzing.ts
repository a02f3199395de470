import pg from "pg";
import type { RunningStack } from "@oms/infra";
import { loadDemoChain } from "@oms/service-kit";
import { JsonClient } from "../../../support/http-client.ts";
import { submitOrder } from "../../../support/intake-load.ts";
import { OrderFactory, parseMix } from "../../../support/order-factory.ts";
import { fuzzConsumers } from "./consumer-properties.ts";
import { fuzzEveryEndpoint, knownIdsIn } from "./endpoint-properties.ts";
import { fuzzGrpcMethods, grpcPeersOf } from "./grpc-properties.ts";
import { fuzzOrderCommands, fuzzOrderIntake, type FuzzFigure } from "./http-properties.ts";
import { RefusalWatch } from "./refusals.ts";

/** Every fuzzer on a running stack, bounded (a few hundred requests, a few batches per topic). */
export async function runFuzzing(target: {
  stack: RunningStack;
  servers: { kafkaBrokers: string[] };
  namespace: { name: string; databaseUrl: string };
  log: (message: string) => void;
}): Promise<FuzzFigure[]> {
  const client = new JsonClient(target.stack.intakeUrl, { maxSockets: 8, timeoutMs: 15_000 });
  const db = new pg.Pool({ connectionString: target.namespace.databaseUrl, max: 2 });
  db.on("error", () => {});
  try {
    const factory = new OrderFactory(await loadDemoChain(), parseMix(""), `${target.namespace.name}-fuzz`, 11, "FUZZ");
    target.log("fuzzing POST /v1/orders");
    const intake = await fuzzOrderIntake(client, db, factory, 300);
    const placed = await submitOrder(client, factory.next());
    const knownOrderId = String((placed.body as { orderId?: unknown }).orderId ?? "00000000-0000-4000-8000-000000000000");
    target.log("fuzzing the order endpoints");
    // Every refusal of the request fuzzers below is watched for a partial write.
    const watch = new RefusalWatch(db);
    const commands = await fuzzOrderCommands(client, knownOrderId, 200, watch);
    target.log("fuzzing every operation of the OpenAPI document");
    const document = (await client.get("/openapi.json")).body as Record<string, unknown>;
    const known = await knownIdsIn(db, knownOrderId, client);
    const endpoints = await fuzzEveryEndpoint(client, document, known, 40, target.log, watch);
    target.log("fuzzing every gRPC method");
    const grpc = await fuzzGrpcMethods(grpcPeersOf(target.stack), known, 40, target.log, watch);
    target.log("looking for what refused requests wrote");
    const refusals = await watch.verdict({ brokers: target.servers.kafkaBrokers, namespace: target.namespace.name }, "every HTTP operation and gRPC method");
    target.log("fuzzing every consumer");
    const consumers = await fuzzConsumers({ brokers: target.servers.kafkaBrokers, namespace: target.namespace.name, db }, 3);
    return [intake, commands, endpoints, grpc, refusals, consumers];
  } finally {
    client.close();
    await db.end();
  }
}
