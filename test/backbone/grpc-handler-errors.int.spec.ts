import { Client, Metadata, credentials, status, type ServiceError } from "@grpc/grpc-js";
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
    listOrders: async (request) => {
      if (request.storeId === "reach-the-handler") throw new Error("a NUL character reached the handler");
      throw refused();
    },
    getOrderKpis: () => {
      throw refused();
    },
    getSalesReport: () => {
      throw refused();
    },
    listOrderFigures: () => {
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

  it("refuses text holding a NUL character before the handler sees it (Postgres could not store it), naming the field", async () => {
    const request = fulfillmentApi.ListOrdersRequest.fromPartial({ storeId: "reach-the-handler", channel: "web\u0000site" });
    await expect(client.listOrders(request)).rejects.toMatchObject({
      kind: "validation",
      code: "request.nul-character",
      fields: [{ field: "channel", message: "must not contain the NUL character" }],
    });
  });

  it("refuses bytes that are no message of the method's type as INVALID_ARGUMENT, not grpc-js's INTERNAL", async () => {
    const raw = new Client(`127.0.0.1:${server.port}`, credentials.createInsecure());
    // Field 1, length-delimited, 255 bytes announced and one sent.
    const truncated = Buffer.from([0x0a, 0xff, 0x01, 0x61]);
    const error = await new Promise<ServiceError | null>((resolve) =>
      raw.makeUnaryRequest(fulfillmentApi.OrderQueryService.getOrder.path, (b: Buffer) => b, (b: Buffer) => b, truncated, new Metadata(), (e) => resolve(e)),
    );
    raw.close();
    expect(error).toMatchObject({ code: status.INVALID_ARGUMENT });
    expect(String(error?.metadata.get("oms-error-code")[0])).toBe("request.undecodable");
  });
});
