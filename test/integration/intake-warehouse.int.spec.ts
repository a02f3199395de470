import { randomUUID } from "node:crypto";
import { describe, expect, it } from "vitest";
import { EventTypes, Topics, decodeEvent, newEvent } from "@oms/contracts";
import { eventually, publishEvents, readTopic, callerHeaders } from "@oms/testing";
import { demoOrder, type HttpAnswer } from "../../services/intake/src/test-fixtures.ts";
import { clerk, intakeInFrontOfWarehouse, storeId } from "./intake-warehouse-fixture.ts";

// Intake in front of the real warehouse (with the demo chain's stock) and fulfillment;
// dispatch's assignment is published as dispatch would publish it.
const { world, statusOf, assignedOrder } = intakeInFrontOfWarehouse();

describe("intake: the warehouse clerks' steps, asked of the warehouse", () => {
  it("picks, packs and ships a reservation named URL-encoded in the path; the order follows to shipped", async () => {
    const { orderId, reservationId } = await assignedOrder();
    const path = `/v1/reservations/${encodeURIComponent(reservationId)}`;

    expect(await world.api.post(`${path}/pick`, undefined, callerHeaders("staff:r-7:rider"))).toMatchObject({ status: 403 });
    // The shipment request reaches the warehouse a moment after the assignment.
    const picked = await eventually(async () => {
      const answer = await world.api.post(`${path}/pick`, undefined, clerk);
      return answer.status === 200 ? answer : undefined;
    });
    expect(picked.body).toEqual({ reservationId, orderId, storeId, status: "picked" });
    expect(await world.api.post(`${path}/ship`, { carrier: "SF Express", trackingNumber: "SF1234567890" }, clerk)).toMatchObject({ status: 409 });
    expect(await world.api.post(`${path}/pack`, { parcels: 2 }, clerk)).toMatchObject({ status: 200, body: { status: "packed" } });
    const shipped = await world.api.post(`${path}/ship`, { carrier: "SF Express", trackingNumber: "SF1234567890" }, clerk);
    expect(shipped).toMatchObject({ status: 200, body: { status: "shipped", carrier: "SF Express", trackingNumber: "SF1234567890" } });

    const order = await statusOf(orderId, "shipped");
    expect(order.body.trackingNumber).toBe("SF1234567890");
    expect(order.body.timeline.find((t: { what: string }) => t.what === "shipment.picked")).toMatchObject({ actor: "staff:w-1" });
  });

  it("raises damage before shipping and loss in transit; the order carries each and tells the customer the cause and next step", async () => {
    const { orderId, reservationId } = await assignedOrder();
    const path = `/v1/reservations/${encodeURIComponent(reservationId)}`;
    await eventually(async () => ((await world.api.post(`${path}/pick`, undefined, clerk)).status === 200 ? true : undefined));

    const lostTooEarly = await world.api.post(`${path}/exceptions`, { kind: "lost", cause: "cannot find it" }, clerk);
    expect(lostTooEarly).toMatchObject({ status: 409, body: { code: "shipment.exception-not-applicable" } });
    expect(await world.api.post(`${path}/exceptions`, { kind: "delayed", cause: "traffic" }, clerk)).toMatchObject({ status: 400, body: { errors: [{ field: "newEta" }] } });
    expect(await world.api.post(`${path}/exceptions`, { kind: "damaged", cause: "dropped" }, callerHeaders("staff:r-7:rider"))).toMatchObject({ status: 403 });

    const damaged = await world.api.post(`${path}/exceptions`, { kind: "damaged", cause: "the kettle's lid cracked when it was picked" }, clerk);
    expect(damaged).toMatchObject({ status: 201, body: { reservationId, orderId, kind: "damaged", raisedBy: "staff:w-1", nextStep: expect.stringContaining("replaces the damaged item") } });
    // Raising is not resolving: the reservation has not moved, and the clerk can go on once it is replaced.
    expect(await world.api.post(`${path}/pack`, { parcels: 1 }, clerk)).toMatchObject({ status: 200, body: { status: "packed" } });
    await world.api.post(`${path}/ship`, { carrier: "SF Express", trackingNumber: "SF5550001" }, clerk);
    const lost = await world.api.post(`${path}/exceptions`, { kind: "lost", cause: "the carrier lost the parcel at its Minhang hub" }, clerk);
    expect(lost).toMatchObject({ status: 201, body: { kind: "lost", nextStep: expect.stringContaining("replacement or refund") } });

    const timeline = await eventually(async () => {
      const answer = await world.api.get(`/v1/orders/${orderId}`, callerHeaders("customer:c-42"));
      const entries = answer.body.timeline as { what: string; actor: string }[];
      return entries.filter((t) => t.what.startsWith("order.exception-")).length === 2 ? entries : undefined;
    });
    // The clerk's own record of the damage is the store's working: the customer reads the notice written for them (ADR 022, twenty-seventh session).
    expect(timeline.find((t) => t.what === "shipment.damaged")).toBeUndefined();
    expect(timeline.filter((t) => t.what.startsWith("order.exception-"))).toEqual([
      expect.objectContaining({ what: "order.exception-damaged", detail: expect.stringMatching(/^the kettle's lid cracked.*; next: the store replaces/) }),
      expect.objectContaining({ what: "order.exception-lost", detail: expect.stringMatching(/^the carrier lost the parcel.*; next: customer service contacts you/) }),
    ]);
  });

  it("lists what to pick, most urgent first, and what to pack once picked", async () => {
    const ordinary = await assignedOrder();
    // A key customer's order (taken by an order taker, approved by a reviewer) ranks above the one that has waited longer.
    const vip = await assignedOrder(
      { customer: { name: "Zhou Lan", phone: "+86 138 0013 8000", address: { line1: "88 Nanjing West Road", city: "Shanghai", district: "Jing'an", country: "CN" }, vip: true } },
      "staff:s-7:order-taker",
    );
    const listed = (answer: HttpAnswer) => (answer.body.entries as { reservationId: string; priority: number }[]).map((e) => e.reservationId);
    const pickList = await eventually(async () => {
      const answer = await world.api.get(`/v1/stores/${storeId}/pick-list`, clerk);
      return [ordinary, vip].every((o) => listed(answer).includes(o.reservationId)) ? answer : undefined;
    });
    const order = listed(pickList);
    expect(order.indexOf(vip.reservationId)).toBeLessThan(order.indexOf(ordinary.reservationId));
    expect(pickList.body.entries.find((e: { reservationId: string }) => e.reservationId === vip.reservationId)).toMatchObject({
      orderId: vip.orderId,
      status: "ready-to-pick",
      priority: 30,
      fulfillmentMethod: "ship",
      lines: [
        { sku: "KETTLE-1L7", location: expect.any(String), quantity: 1 },
        { sku: "TOWEL-SET-4", location: expect.any(String), quantity: 2 },
      ],
    });

    await world.api.post(`/v1/reservations/${encodeURIComponent(ordinary.reservationId)}/pick`, undefined, clerk);
    const toPack = await world.api.get(`/v1/stores/${storeId}/pick-list?status=picked&limit=500`, callerHeaders("staff:m-1:store-manager"));
    expect(listed(toPack)).toContain(ordinary.reservationId);
    expect(listed(await world.api.get(`/v1/stores/${storeId}/pick-list?limit=500`, clerk))).not.toContain(ordinary.reservationId);
  });

  it("answers 404 for a reservation the warehouse does not know", async () => {
    const unknown = encodeURIComponent(`${randomUUID()}/reservation/1`);
    expect(await world.api.post(`/v1/reservations/${unknown}/pick`, undefined, clerk)).toMatchObject({ status: 404, body: { status: 404 } });
  });

  it("shows the store's stock, books goods received, and corrects the books by a count", async () => {
    const sku = "RICE-COOKER-5L";
    const before = await world.api.get(`/v1/stores/${storeId}/stock?sku=${sku}`, callerHeaders("staff:s-7:order-taker"));
    expect(before.status).toBe(200);
    const [level] = before.body.levels;
    expect(level).toMatchObject({ storeId, sku, location: "A-01-02" });

    const received = await world.api.post(`/v1/stores/${storeId}/stock-receipts`, { receiptId: `DN-${randomUUID()}`, sku, location: level.location, quantity: 5 }, clerk);
    expect(received).toMatchObject({ status: 200, body: { sku, location: level.location, onHand: level.onHand + 5 } });

    const counted = await world.api.post(`/v1/stores/${storeId}/stock-counts`, { sku, location: level.location, counted: 12, reason: "monthly count" }, clerk);
    expect(counted).toMatchObject({ status: 200, body: { onHand: 12, available: 12 - level.reserved - level.safetyStock } });

    const both = await world.api.get(`/v1/stores/${storeId}/stock?sku=${sku}&sku=KETTLE-1L7`, clerk);
    expect(both.body.levels.map((l: { sku: string }) => l.sku).sort()).toEqual(["KETTLE-1L7", sku]);
  });
});

describe("routing an online order across the chain's stores", () => {
  const manager = (storeId: string) => (callerHeaders(`staff:m-${storeId.slice(-6)}:store-manager`));
  const whats = (answer: HttpAnswer) => answer.body.timeline as { what: string; detail: string; actor: string }[];

  /** A ship order taken by the Pudong store for a customer in Huangpu, a district both stores serve. */
  async function huangpuOrderAtPudong(sku: string, quantity: number, unitPriceMinor: number): Promise<string> {
    const linesMinor = quantity * unitPriceMinor;
    const order = await demoOrder({
      storeId: "store-sh-pudong",
      customer: { name: "Li Na", phone: "+86 139 0000 3333", address: { line1: "1 Zhongshan East Road", city: "Shanghai", district: "Huangpu", country: "CN" } },
      lines: [{ sku, quantity, unitPriceMinor }],
      totals: { discountMinor: 0, shippingFeeMinor: linesMinor >= 30_000 ? 0 : 1_500, serviceFeeMinor: 0, taxMinor: 0, grandTotalMinor: linesMinor + (linesMinor >= 30_000 ? 0 : 1_500), currency: "CNY" },
    });
    const answer = await world.api.post("/v1/orders", order, callerHeaders("customer:c-77"));
    expect(answer.status).toBe(201);
    return answer.body.orderId as string;
  }

  /** 30 punnets of strawberries and a glass vase for a customer in Huangpu, who accepts several parcels. */
  async function berriesAndVaseAtPudong(customerId: string): Promise<string> {
    const order = await demoOrder({
      storeId: "store-sh-pudong",
      customer: { name: "Li Na", phone: "+86 139 0000 3333", address: { line1: "1 Zhongshan East Road", city: "Shanghai", district: "Huangpu", country: "CN" } },
      lines: [
        { sku: "STRAWBERRY-500G", quantity: 30, unitPriceMinor: 5_990 },
        { sku: "VASE-GLASS-L", quantity: 1, unitPriceMinor: 38_800 },
      ],
      totals: { discountMinor: 0, shippingFeeMinor: 0, serviceFeeMinor: 0, taxMinor: 0, grandTotalMinor: 30 * 5_990 + 38_800, currency: "CNY" },
      partialShipment: true,
    });
    const answer = await world.api.post("/v1/orders", order, callerHeaders(`customer:${customerId}`));
    expect(answer.status).toBe(201);
    return answer.body.orderId as string;
  }

  it("sends it to the chain's preferred store, and to the next one when that store turns it down, each attempt on the timeline", async () => {
    const orderId = await huangpuOrderAtPudong("RICE-COOKER-5L", 2, 45_900);
    // Jing'an is the chain's priority-1 store and serves Huangpu: routing sends the order there.
    const atJingan = await statusOf(orderId, "reserved");
    expect(atJingan.body).toMatchObject({ storeId: "store-sh-jingan" });
    expect(whats(atJingan).find((t) => t.what === "order.routed")).toMatchObject({ detail: "from store-sh-pudong to store-sh-jingan" });
    expect(whats(atJingan).find((t) => t.what === "stock.reserved")?.detail).toMatch(/store-sh-jingan: chosen: .*priority 1.*; store-sh-pudong: has every line but ranks below store-sh-jingan/);

    const path = `/v1/reservations/${encodeURIComponent(atJingan.body.reservationId)}`;
    expect(await world.api.post(`${path}/rejection`, { reason: "no driver today" }, clerk)).toMatchObject({ status: 403 });
    const rejected = await world.api.post(`${path}/rejection`, { reason: "both rice cookers on the shelf are dented" }, manager("jingan"));
    expect(rejected).toMatchObject({ status: 200, body: { status: "released", storeId: "store-sh-jingan" } });

    const atPudong = await eventually(async () => {
      const answer = await world.api.get(`/v1/orders/${orderId}`, clerk);
      return answer.body.status === "reserved" && answer.body.storeId === "store-sh-pudong" ? answer : undefined;
    });
    expect(atPudong.body.reservationId).toBe(`${orderId}/reservation/2`);
    const timeline = whats(atPudong);
    expect(timeline.find((t) => t.what === "stock.rejected-by-store")).toMatchObject({ detail: "store-sh-jingan: both rice cookers on the shelf are dented" });
    expect(timeline.filter((t) => t.what === "order.routed").map((t) => t.detail)).toEqual(["from store-sh-pudong to store-sh-jingan", "from store-sh-jingan to store-sh-pudong"]);
    expect(timeline.filter((t) => t.what === "stock.reserved").at(-1)?.detail).toMatch(/store-sh-jingan: rejected earlier; store-sh-pudong: chosen/);
    // The stock Jing'an held went back: its free units are what they were before the order.
    const level = await world.api.get(`/v1/stores/store-sh-jingan/stock?sku=RICE-COOKER-5L`, clerk);
    expect(level.body.levels[0]).toMatchObject({ reserved: 0 });
    // The task moves with the order to Pudong's staff.
    await world.fulfillment.relay.flush();
    const replans = (await readTopic(Topics.fulfillmentOrder, world.namespace.name))
      .map((m) => decodeEvent(m.value!))
      .filter((e) => e?.type === EventTypes.AssignmentReplanRequested && e.orderId === orderId);
    expect(replans.map((e) => e!.payload)).toEqual([expect.objectContaining({ taskId: atJingan.body.taskId, storeId: "store-sh-pudong" })]);
    // A pick-up is collected where the customer chose: it was not routed, so the store cannot send it elsewhere.
    const pickup = await world.api.post("/v1/orders", await demoOrder({ fulfillmentMethod: "pickup" }), callerHeaders("customer:c-78"));
    const { reservationId: pickupReservation } = (await statusOf(pickup.body.orderId, "reserved")).body;
    const ownPath = `/v1/reservations/${encodeURIComponent(pickupReservation)}`;
    expect(await world.api.post(`${ownPath}/rejection`, { reason: "no" }, manager("jingan"))).toMatchObject({ status: 409, body: { code: "reservation.not-routed" } });
  });

  it("splits an order no single store has all of, when the customer accepts several parcels; each part leaves and arrives on its own", async () => {
    // Pudong gets 40 punnets of strawberries; Jing'an has 25 and the only glass vases.
    const receipt = await world.api.post(`/v1/stores/store-sh-pudong/stock-receipts`, { receiptId: `DN-${randomUUID()}`, sku: "STRAWBERRY-500G", location: "C-01-01", quantity: 40 }, clerk);
    expect(receipt.status).toBe(200);
    const orderId = await berriesAndVaseAtPudong("c-79");

    const reserved = await statusOf(orderId, "reserved");
    const parts = reserved.body.parts as { partId: string; storeId: string; reservationId: string; taskId: string; stage: string; lines: { sku: string; quantity: number }[] }[];
    expect(parts).toEqual([
      expect.objectContaining({ partId: "1", storeId: "store-sh-pudong", stage: "reserved", lines: [{ sku: "STRAWBERRY-500G", quantity: 30 }] }),
      expect.objectContaining({ partId: "2", storeId: "store-sh-jingan", stage: "reserved", lines: [{ sku: "VASE-GLASS-L", quantity: 1 }] }),
    ]);
    expect(whats(reserved).find((t) => t.what === "stock.reserved-split")?.detail).toMatch(
      /^part 1 at store-sh-pudong: 30 × STRAWBERRY-500G; part 2 at store-sh-jingan: 1 × VASE-GLASS-L; .*chosen for a split/,
    );
    // Each store holds its own part.
    const vases = await world.api.get(`/v1/stores/store-sh-jingan/stock?sku=VASE-GLASS-L`, clerk);
    expect(vases.body.levels[0]).toMatchObject({ reserved: 1 });

    // Dispatch assigns each part's delivery to a rider of the part's store.
    for (const part of parts) {
      await publishEvents(world.namespace.name, Topics.dispatchAssignment, [
        newEvent(
          EventTypes.TaskAssigned,
          { taskId: part.taskId, assignmentId: randomUUID(), staffId: `r-${part.partId}`, acknowledgeBy: "", fencingToken: 1 },
          { producer: "dispatch", orderId, storeId: part.storeId, actor: { kind: "system", id: "dispatch", role: "system" } },
        ),
      ]);
    }
    await statusOf(orderId, "assigned");
    const ship = async (reservationId: string, trackingNumber: string) => {
      const path = `/v1/reservations/${encodeURIComponent(reservationId)}`;
      await eventually(async () => ((await world.api.post(`${path}/pick`, undefined, clerk)).status === 200 ? true : undefined));
      expect(await world.api.post(`${path}/pack`, { parcels: 1 }, clerk)).toMatchObject({ status: 200 });
      expect(await world.api.post(`${path}/ship`, { carrier: "SF Express", trackingNumber }, clerk)).toMatchObject({ status: 200 });
    };
    const deliver = (partId: string | undefined) =>
      world.api.post(
        `/v1/orders/${orderId}/delivery`,
        { place: "front door", method: "rider", proofKind: "signature", proofRef: `sig-${partId}`, ...(partId ? { partId } : {}) },
        callerHeaders(`staff:r-${partId ?? "1"}:rider`),
      );

    await ship(parts[1]!.reservationId, "SF-VASE-1");
    const partly = await statusOf(orderId, "partially-shipped");
    expect(partly.body.parts[1]).toMatchObject({ stage: "shipped", trackingNumber: "SF-VASE-1" });
    // The strawberries have not left: that part cannot be delivered yet.
    expect(await deliver("1")).toMatchObject({ status: 409, body: { code: "order.part-not-deliverable" } });
    expect(await deliver("2")).toMatchObject({ status: 200, body: { status: "partially-delivered" } });

    await ship(parts[0]!.reservationId, "SF-BERRY-1");
    // Only one part is on its way now: the rider need not name it.
    await eventually(async () => ((await world.api.get(`/v1/orders/${orderId}`, clerk)).body.parts[0].stage === "shipped" ? true : undefined));
    expect(await deliver(undefined)).toMatchObject({ status: 200, body: { status: "delivered" } });
    // Listed at both stores: under Pudong (its first part) and at Jing'an, which serves the vase.
    for (const store of ["store-sh-pudong", "store-sh-jingan"]) {
      const listed = await world.api.get(`/v1/orders?storeId=${store}&pageSize=200`, manager(store.slice(-6)));
      expect((listed.body.orders as { orderId: string }[]).map((o) => o.orderId), store).toContain(orderId);
    }
    const done = await world.api.post(`/v1/orders/${orderId}/acceptance`, undefined, callerHeaders("customer:c-79"));
    expect(done).toMatchObject({ status: 200, body: { status: "completed" } });
    const timeline = whats(await world.api.get(`/v1/orders/${orderId}`, clerk));
    expect(timeline.filter((t) => t.what === "delivery.recorded")).toHaveLength(2);
  });

  it("routes again only the part a store turned down; with no store able to serve it, the part waits for stock and goes when it comes", async () => {
    // After the split above: Jing'an has 25 punnets and the only 2 vases, Pudong 10 punnets.
    const orderId = await berriesAndVaseAtPudong("c-80");
    const parts = (await statusOf(orderId, "reserved")).body.parts as { partId: string; storeId: string; reservationId: string; lines: unknown[] }[];
    // No store holds the 30 punnets: the line itself is split.
    expect(parts).toEqual([
      expect.objectContaining({ storeId: "store-sh-jingan", lines: [{ sku: "STRAWBERRY-500G", quantity: 25 }, { sku: "VASE-GLASS-L", quantity: 1 }] }),
      expect.objectContaining({ storeId: "store-sh-pudong", lines: [{ sku: "STRAWBERRY-500G", quantity: 5 }] }),
    ]);
    const jinganPart = parts[0]!;
    const partOf = (seen: HttpAnswer) => (seen.body.parts as { partId: string; stage: string }[] | undefined)?.find((p) => p.partId === jinganPart.partId);

    const path = `/v1/reservations/${encodeURIComponent(jinganPart.reservationId)}`;
    expect(await world.api.post(`${path}/rejection`, { reason: "the vase on the shelf is chipped" }, manager("jingan"))).toMatchObject({ status: 200 });
    // Pudong has neither enough punnets nor a vase: the part waits in the queue; the other part stays as it is.
    const waiting = await eventually(async () => {
      const seen = await world.api.get(`/v1/orders/${orderId}`, clerk);
      return partOf(seen)?.stage === "awaiting-stock" ? seen : undefined;
    });
    expect(waiting.body).toMatchObject({ status: "reserved", holdReason: "awaiting-stock" });
    expect(whats(waiting).find((t) => t.what === "stock.rejected-by-store")).toMatchObject({ detail: "store-sh-jingan: the vase on the shelf is chipped" });
    expect(whats(waiting).find((t) => t.what === "stock.shortage")?.detail).toMatch(/store-sh-jingan: rejected earlier/);

    // Punnets arrive at Pudong (still no vase: the part is tried and waits on), then vases: it is routed there.
    await world.api.post(`/v1/stores/store-sh-pudong/stock-receipts`, { receiptId: `DN-${randomUUID()}`, sku: "STRAWBERRY-500G", location: "C-01-01", quantity: 30 }, clerk);
    await eventually(async () => {
      const seen = await world.api.get(`/v1/orders/${orderId}`, clerk);
      return whats(seen).filter((t) => t.what === "stock.shortage").length === 2 ? true : undefined;
    });
    await world.api.post(`/v1/stores/store-sh-pudong/stock-receipts`, { receiptId: `DN-${randomUUID()}`, sku: "VASE-GLASS-L", location: "D-01-01", quantity: 2 }, clerk);
    const served = await eventually(async () => {
      const seen = await world.api.get(`/v1/orders/${orderId}`, clerk);
      return partOf(seen)?.stage === "reserved" ? seen : undefined;
    });
    expect(served.body.holdReason).toBeUndefined();
    expect(partOf(served)).toMatchObject({ storeId: "store-sh-pudong", reservationId: `${orderId}/reservation/4` });
    // The part's delivery task moves to Pudong with it.
    await world.fulfillment.relay.flush();
    const replans = (await readTopic(Topics.fulfillmentOrder, world.namespace.name))
      .map((m) => decodeEvent(m.value!))
      .filter((e) => e?.type === EventTypes.AssignmentReplanRequested && e.orderId === orderId);
    expect(replans.map((e) => e!.payload)).toEqual([expect.objectContaining({ taskId: `${orderId}/task/part-1`, storeId: "store-sh-pudong" })]);
  });

  it("queues an order no store can serve now, saying why of each store", async () => {
    // Jing'an has 2 glass vases (3, less the one the split order above took); Pudong 1 (2 received, 1 held for the part above).
    const orderId = await huangpuOrderAtPudong("VASE-GLASS-L", 5, 38_800);
    const held = await statusOf(orderId, "on-hold");
    expect(held.body).toMatchObject({ holdReason: "awaiting-stock", storeId: "store-sh-pudong" });
    expect(whats(held).find((t) => t.what === "stock.shortage")?.detail).toMatch(/VASE-GLASS-L: 2 of 5 available.*store-sh-jingan: short of VASE-GLASS-L \(has 2, needs 5\)/);
  });
});
