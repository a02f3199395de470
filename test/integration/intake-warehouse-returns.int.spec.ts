import { randomUUID } from "node:crypto";
import { describe, expect, it } from "vitest";
import { EventTypes, Topics, newEvent } from "@oms/contracts";
import { callerHeaders, eventually, publishEvents } from "@oms/testing";
import { clerk, intakeInFrontOfWarehouse, storeId } from "./intake-warehouse-fixture.ts";

// Returned goods through intake's REST API, asked of the real warehouse (ADR 021): after-sales'
// acceptance of a return is published as after-sales would publish it; the store's clerks list
// what they expect back and book a parcel's inspection; bad input is refused naming the field.
const { world } = intakeInFrontOfWarehouse();

const manager = callerHeaders("staff:m-1:store-manager");
const orderTaker = callerHeaders("staff:ot-1:order-taker");
const customer = callerHeaders("customer:c-42");
const expectedPath = `/v1/stores/${storeId}/expected-returns`;
const sku = "KETTLE-1L7";

async function acceptedReturn(quantity: number): Promise<{ caseId: string; orderId: string }> {
  const [caseId, orderId] = [`case-${randomUUID()}`, randomUUID()];
  const agent = { kind: "staff", id: "cs-wang", role: "customer-service" } as const;
  await publishEvents(world.namespace.name, Topics.afterSalesCase, [
    newEvent(EventTypes.CaseAccepted, { caseId, assigneeStaffId: "cs-wang", note: "", kind: "return", lines: [{ sku, quantity }] }, { producer: "after-sales", orderId, storeId, actor: agent }),
  ]);
  await eventually(async () => {
    const answer = await world.api.get(expectedPath, clerk);
    return (answer.body.returns as { caseId: string }[] | undefined)?.some((r) => r.caseId === caseId) ? true : undefined;
  });
  return { caseId, orderId };
}

const onHandAt = async (location: string) => {
  const answer = await world.api.get(`/v1/stores/${storeId}/stock?sku=${sku}`, clerk);
  return (answer.body.levels as { location: string; onHand: number }[]).find((l) => l.location === location)?.onHand ?? 0;
};

describe("intake: returned goods back into the store's stock", () => {
  it("lists a store's expected returns for its clerks and manager, and books a parcel's inspection once", async () => {
    const { caseId, orderId } = await acceptedReturn(2);
    const listed = await world.api.get(expectedPath, manager);
    expect(listed.status).toBe(200);
    expect(listed.body.returns).toContainEqual({
      caseId,
      orderId,
      storeId,
      kind: "return",
      lines: [{ sku, expected: 2, restocked: 0, writtenOff: 0, outstanding: 2 }],
      expectedSince: expect.any(String),
      status: "expected",
      receiptIds: [],
      calledOffAt: "",
      calledOffBy: "",
      calledOffReason: "",
    });
    expect((await world.api.get(expectedPath, orderTaker)).status).toBe(403);

    const before = await onHandAt("RET-01");
    const parcel = { receiptId: `RET-${caseId}`, lines: [{ sku, resellable: 1, location: "RET-01", writeOffs: [{ quantity: 1, condition: "damaged", cause: "lid cracked" }] }] };
    const booked = await world.api.post(`/v1/returns/${caseId}/receipts`, parcel, clerk);
    expect(booked.status, JSON.stringify(booked.body)).toBe(200);
    expect(booked.body).toMatchObject({ caseId, status: "received", lines: [{ sku, expected: 2, restocked: 1, writtenOff: 1, outstanding: 0 }], receiptIds: [parcel.receiptId] });
    // Sent again (a retry after a timeout): the return as it stands, nothing booked twice.
    expect(await world.api.post(`/v1/returns/${caseId}/receipts`, parcel, clerk)).toMatchObject({ status: 200, body: booked.body });
    expect(await onHandAt("RET-01")).toBe(before + 1);
    expect(((await world.api.get(expectedPath, clerk)).body.returns as { caseId: string }[]).map((r) => r.caseId)).not.toContain(caseId);
  });

  it("refuses bad input naming the field, more than expected, an unknown case, a used receipt id and callers without the role", async () => {
    const { caseId } = await acceptedReturn(1);
    const path = `/v1/returns/${caseId}/receipts`;
    const fieldsOf = (body: { errors?: { field: string }[] }) => (body.errors ?? []).map((e) => e.field);

    const noCause = await world.api.post(path, { receiptId: "R-1", lines: [{ sku, resellable: 0, writeOffs: [{ quantity: 1, condition: "broken", cause: "" }] }] }, clerk);
    expect(noCause.status).toBe(400);
    expect(fieldsOf(noCause.body)).toEqual(expect.arrayContaining([expect.stringContaining("condition"), expect.stringContaining("cause")]));
    const noShelf = await world.api.post(path, { receiptId: "R-1", lines: [{ sku, resellable: 1 }] }, clerk);
    expect(noShelf).toMatchObject({ status: 400 });
    expect(fieldsOf(noShelf.body)).toEqual(["lines[0].location"]);
    const tooMany = await world.api.post(path, { receiptId: "R-1", lines: [{ sku, resellable: 2, location: "RET-01" }] }, clerk);
    expect(tooMany.status).toBe(400);
    expect(tooMany.body.errors).toEqual([{ field: "lines[0]", message: expect.stringContaining("only 1 are still expected") }]);
    expect(await world.api.post(path, { lines: [{ sku, resellable: 1, location: "RET-01" }] }, clerk)).toMatchObject({ status: 400 });

    expect(await world.api.post(`/v1/returns/case-nobody-accepted/receipts`, { receiptId: "R-1", lines: [{ sku, resellable: 1, location: "RET-01" }] }, clerk)).toMatchObject({
      status: 404,
      body: { code: "return.not-expected" },
    });
    for (const caller of [customer, orderTaker]) {
      expect(await world.api.post(path, { receiptId: "R-1", lines: [{ sku, resellable: 1, location: "RET-01" }] }, caller)).toMatchObject({ status: 403 });
    }
    expect((await world.api.post(path, { receiptId: "R-1", lines: [{ sku, resellable: 1, location: "RET-01" }] }, manager)).status).toBe(200);
    expect(await world.api.post(path, { receiptId: "R-1", lines: [{ sku, resellable: 1, location: "RET-02" }] }, clerk)).toMatchObject({
      status: 409,
      body: { code: "return.receipt-id-reused" },
    });
  });
});
