import { describe, expect, it } from "vitest";
import { fulfillmentApi } from "@oms/contracts";
import { encodeWire, grpcMethods, typedRequest } from "./grpc-properties.ts";

describe("the gRPC fuzzer's requests", () => {
  it("covers every method of every service that serves one", () => {
    const methods = grpcMethods();
    expect(new Set(methods.map((m) => m.service))).toEqual(new Set(["fulfillment", "warehouse", "dispatch", "billing", "archive", "after-sales"]));
    expect(methods.map((m) => m.definition.path)).toContain("/oms.fulfillment.v1.OrderCommands/CancelOrder");
    expect(methods.length).toBeGreaterThanOrEqual(40);
  });

  it("writes wire fields a decoder reads back, and gives typed requests known ids and a caller of the picked role", () => {
    const cancel = grpcMethods().find((m) => m.definition.path.endsWith("/CancelOrder"))!;
    const fields = [
      { field: 1, value: { kind: "text" as const, text: "random-id" } },
      { field: 2, value: { kind: "message" as const, fields: [{ field: 3, value: { kind: "text" as const, text: "nobody" } }] } },
    ];
    const decoded = fulfillmentApi.OrderCommandRequest.decode(encodeWire(fields));
    expect(decoded).toMatchObject({ orderId: "random-id", caller: { role: "nobody" } });
    const withKnown = fulfillmentApi.OrderCommandRequest.decode(typedRequest(cancel, fields, { orderId: ["o-1", "o-2"], staffId: ["s-9"] }, 1)!.bytes);
    expect(withKnown).toMatchObject({ orderId: "o-2", caller: { kind: "staff", id: "s-9", role: "customer-service" } });
    // A field of the wrong wire type is skipped by the decoder, not fatal.
    expect(typedRequest(cancel, [{ field: 1, value: { kind: "fixed32", n: 7 } }], undefined, 0)?.bytes).toBeInstanceOf(Buffer);
  });

  it("names the correlation id it is given, so a refused call's events can be looked for", () => {
    const cancel = grpcMethods().find((m) => m.definition.path.endsWith("/CancelOrder"))!;
    const typed = typedRequest(cancel, [], undefined, 0, "corr-1")!;
    expect(typed.correlationId).toBe("corr-1");
    expect(fulfillmentApi.OrderCommandRequest.decode(typed.bytes).correlationId).toBe("corr-1");
    // A request type without the field names none: only the tables can show what such a call wrote.
    const withoutField = grpcMethods().find((m) => !("correlationId" in (m.definition.requestDeserialize(Buffer.alloc(0)) as object)));
    if (withoutField) expect(typedRequest(withoutField, [], undefined, 0, "corr-2")!.correlationId).toBe("");
  });
});
