import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { fulfillmentApi } from "@oms/contracts";
import { ValidationError } from "@oms/errors";
import { bindService, createClient, startGrpcServer, type GrpcServer } from "@oms/grpc";
import { createLogger } from "@oms/observability";

/** A handler's domain error reaches the caller as its status, however the handler fails. */
let server: GrpcServer;
let client: ReturnType<typeof createClient<typeof fulfillmentApi.OrderQueryService>>;
const refused = () => new ValidationError([{ field: "orderId", message: "is required" }]);

beforeAll(async () => {
  const service = bindService("oms.fulfillment.v1.OrderQuery", fulfillmentApi.OrderQueryService, {
    // Checks its input before its first await, as a command's validation does.
    getOrder: () => {
      throw refused();
    },
    listOrders: async () => {
      throw refused();
    },
  });
  const logger = createLogger({ service: "grpc-test", level: "silent", pretty: false });
  server = await startGrpcServer({ host: "127.0.0.1", port: 0, services: [service], logger });
  client = createClient(fulfillmentApi.OrderQueryService, "oms.fulfillment.v1.OrderQuery", `127.0.0.1:${server.port}`);
});

afterAll(async () => {
  client?.close();
  await server?.close();
});

describe("a gRPC handler that refuses its input", () => {
  it("answers INVALID_ARGUMENT with the field, whether it throws at once or rejects later", async () => {
    const expected = { kind: "validation", fields: [{ field: "orderId", message: "is required" }] };
    await expect(client.getOrder({ orderId: "" })).rejects.toMatchObject(expected);
    await expect(client.listOrders(fulfillmentApi.ListOrdersRequest.fromPartial({}))).rejects.toMatchObject(expected);
  });
});
