import { describe, expect, it } from "vitest";
import { ForbiddenError, IllegalStateError } from "@oms/errors";
import type { CreateOrder, OrderCommand } from "./commands.ts";
import { decide } from "./decide.ts";
import { evolveAll } from "./evolve.ts";
import { reservationIdOf, settlementIdOf, taskIdOf } from "./ids.ts";
import type { Order } from "./order.ts";
import { anOrder } from "./order-fixture.ts";
import { canTransition } from "./transitions.ts";

const customer = { kind: "customer", id: "c-1", role: "customer" } as const;
const system = { kind: "system", id: "warehouse", role: "system" } as const;
const finance = { kind: "staff", id: "staff-fin", role: "finance" } as const;

function createCommand(overrides: Partial<CreateOrder["order"]> = {}, confirmedByChannel = true): CreateOrder {
  // The fixture's order as a channel sends it: status, priority and classification are fulfillment's to decide.
  const { status: _status, priority: _priority, classification: _classification, ...order } = anOrder();
  return { type: "CreateOrder", actor: { kind: "platform", id: "website", role: "channel" }, confirmedByChannel, order: { ...order, ...overrides } };
}

/** Given these commands in order, the resulting order and all events. */
function run(commands: OrderCommand[]) {
  let order: Order | undefined;
  const all = [];
  for (const command of commands) {
    const events = decide(command, order);
    order = evolveAll(order, events);
    all.push(...events);
  }
  return { order: order!, events: all };
}

const statuses = (events: ReturnType<typeof run>["events"]) => events.flatMap((e) => (e.type === "StatusChanged" ? [e.to] : []));

describe("creating an order", () => {
  it("goes straight to confirmation, credit check and a stock reservation when the channel confirmed it", () => {
    const { order, events } = run([createCommand()]);
    expect(statuses(events)).toEqual(["confirmed", "credit-checked"]);
    expect(order.status).toBe("credit-checked");
    expect(events.at(-1)).toMatchObject({ type: "StockReservationRequested", reservationId: reservationIdOf("o-1") });
  });

  it("waits for the customer when the channel did not confirm", () => {
    const { order } = run([createCommand({}, false)]);
    expect(order.status).toBe("awaiting-confirmation");
  });

  it("is created once even when handed over twice", () => {
    const { events } = run([createCommand(), createCommand()]);
    expect(events.filter((e) => e.type === "OrderCreated")).toHaveLength(1);
  });

  it("holds on-credit orders until credit is granted", () => {
    const { order } = run([createCommand({ paymentMethod: "on-credit", prepaid: false })]);
    expect(order).toMatchObject({ status: "on-hold", holdReason: "awaiting-credit" });
  });

  it("goes on as a credit-checked order once finance approves the credit, and only finance decides it", () => {
    const held = run([createCommand({ paymentMethod: "on-credit", prepaid: false })]).order;
    const approve = { type: "DecideCredit", approved: true, reason: " limit 50,000 CNY, 30 days ", actor: finance } as const;
    const events = decide(approve, held);
    expect(events).toEqual([
      { type: "StatusChanged", from: "on-hold", to: "credit-checked", reason: "credit approved: limit 50,000 CNY, 30 days" },
      expect.objectContaining({ type: "StockReservationRequested", reservationId: reservationIdOf("o-1") }),
    ]);
    expect(evolveAll(held, events)).toMatchObject({ status: "credit-checked", holdReason: undefined, reservationPending: true });
    expect(() => decide({ ...approve, actor: customer }, held)).toThrow(expect.objectContaining({ kind: "forbidden", code: "order.credit-by-finance" }));
    expect(() => decide({ ...approve, actor: { kind: "staff", id: "t-1", role: "order-taker" } }, held)).toThrow(ForbiddenError);
  });

  it("is cancelled with the reason when finance refuses the credit", () => {
    const held = run([createCommand({ paymentMethod: "on-credit", prepaid: false })]).order;
    const refuse = { type: "DecideCredit", approved: false, reason: "two invoices 90 days overdue", actor: finance } as const;
    const { order, events } = run([createCommand({ paymentMethod: "on-credit", prepaid: false }), refuse]);
    expect(order.status).toBe("cancelled");
    expect(events.slice(-2)).toEqual([
      { type: "StatusChanged", from: "on-hold", to: "cancelled", reason: "credit refused: two invoices 90 days overdue" },
      { type: "OrderCancelled", reason: "credit refused: two invoices 90 days overdue", reasonCode: "credit-refused", refundDue: false },
    ]);
    expect(() => decide({ ...refuse, reason: " " }, held)).toThrow(expect.objectContaining({ kind: "validation", fields: [expect.objectContaining({ field: "reason" })] }));
  });

  it("takes billing's decision by the customer's assessment like a clerk's, and lets a clerk's decision made first stand", () => {
    const billing = { kind: "system", id: "billing", role: "system" } as const;
    const held = run([createCommand({ paymentMethod: "on-credit", prepaid: false })]).order;
    const approved = decide({ type: "DecideCredit", approved: true, reason: "within the credit limit: 900 of 50000 CNY owed, 30 days to pay", actor: billing }, held);
    expect(approved[0]).toEqual({ type: "StatusChanged", from: "on-hold", to: "credit-checked", reason: "credit approved: within the credit limit: 900 of 50000 CNY owed, 30 days to pay" });
    const refused = decide({ type: "DecideCredit", approved: false, reason: "poor credit: the customer pays in advance or on delivery", actor: billing }, held);
    expect(refused.at(-1)).toEqual({ type: "OrderCancelled", reason: "credit refused: poor credit: the customer pays in advance or on delivery", reasonCode: "credit-refused", refundDue: false });
    // Heard after a clerk approved it by hand: nothing changes, and nothing is refused to billing.
    const checked = evolveAll(held, decide({ type: "DecideCredit", approved: true, reason: "", actor: finance }, held))!;
    expect(decide({ type: "DecideCredit", approved: false, reason: "over the credit limit", actor: billing }, checked)).toEqual([]);
    // Another system is no finance clerk.
    expect(() => decide({ type: "DecideCredit", approved: true, reason: "", actor: { kind: "system", id: "dispatch", role: "system" } }, held)).toThrow(ForbiddenError);
  });

  it("refuses a credit decision for an order that is not waiting for one, naming its state", () => {
    const checked = run([createCommand()]).order;
    expect(() => decide({ type: "DecideCredit", approved: true, reason: "", actor: finance }, checked)).toThrow(
      expect.objectContaining({ code: "order.not-awaiting-credit", message: expect.stringContaining("is credit-checked") }),
    );
    const short = { ...checked, status: "on-hold" as const, holdReason: "awaiting-stock" as const };
    expect(() => decide({ type: "DecideCredit", approved: false, reason: "overdue", actor: finance }, short)).toThrow(
      expect.objectContaining({ message: expect.stringContaining("on-hold (awaiting-stock)") }),
    );
  });

  it("asks dispatch for a service task directly for service orders", () => {
    const { events } = run([createCommand({ kind: "service", fulfillmentMethod: "on-site", tags: ["skill:cleaning"] })]);
    expect(events.at(-1)).toMatchObject({ type: "AssignmentRequested", taskKind: "service", skills: ["cleaning"] });
  });

  it("puts urgent, perishable and VIP orders first", () => {
    const plain = run([createCommand()]).order;
    const urgent = run([createCommand({ tags: ["urgent", "perishable"], vip: true })]).order;
    expect(urgent.priority).toBeGreaterThan(plain.priority);
    expect(urgent.classification).toContain("handling:perishable");
  });
});

describe("the goods saga", () => {
  it("walks from reserved to assigned and asks billing for the settlement", () => {
    const { order, events } = run([
      createCommand(),
      { type: "RecordStockReserved", reservationId: reservationIdOf("o-1"), actor: system },
      { type: "RecordTaskAssigned", taskId: taskIdOf("o-1"), staffId: "staff-1", actor: system },
    ]);
    expect(order).toMatchObject({ status: "assigned", assigneeStaffId: "staff-1", settlementId: settlementIdOf("o-1") });
    expect(events.map((e) => e.type)).toContain("SettlementRequested");
    expect(events.find((e) => e.type === "AssignmentRequested")).toMatchObject({ taskKind: "delivery", skills: ["delivery"] });
  });

  it("goes on hold when stock is short, and resumes when it is reserved", () => {
    const reservationId = reservationIdOf("o-1");
    const held = run([createCommand(), { type: "RecordStockShortage", reservationId, skus: ["KETTLE"], actor: system }]);
    expect(held.order).toMatchObject({ status: "on-hold", holdReason: "awaiting-stock" });
    const resumed = run([
      createCommand(),
      { type: "RecordStockShortage", reservationId, skus: ["KETTLE"], actor: system },
      { type: "RecordStockReserved", reservationId, actor: system },
    ]);
    expect(resumed.order.status).toBe("reserved");
  });

  it("ignores a repeated report of the same assignment", () => {
    const once = run([
      createCommand(),
      { type: "RecordStockReserved", reservationId: reservationIdOf("o-1"), actor: system },
      { type: "RecordTaskAssigned", taskId: taskIdOf("o-1"), staffId: "staff-1", actor: system },
      { type: "RecordTaskAssigned", taskId: taskIdOf("o-1"), staffId: "staff-1", actor: system },
    ]);
    expect(once.events.filter((e) => e.type === "SettlementRequested")).toHaveLength(1);
  });
});

describe("confirmation and cancellation", () => {
  it("confirms an order that waits for the customer, and a second confirmation changes nothing", () => {
    const { order, events } = run([createCommand({}, false), { type: "ConfirmOrder", actor: customer }, { type: "ConfirmOrder", actor: customer }]);
    expect(order.status).toBe("credit-checked");
    expect(statuses(events).filter((s) => s === "confirmed")).toHaveLength(1);
  });

  it("refuses to confirm a cancelled order, naming the state", () => {
    const cancelled = run([createCommand({}, false), { type: "CancelOrder", reason: "changed my mind", actor: customer }]).order;
    expect(() => decide({ type: "ConfirmOrder", actor: customer }, cancelled)).toThrow(IllegalStateError);
    expect(() => decide({ type: "ConfirmOrder", actor: customer }, cancelled)).toThrow(/cancelled/);
  });

  it("releases reserved stock and marks a refund due when a paid order is cancelled", () => {
    const { events } = run([
      createCommand(),
      { type: "RecordStockReserved", reservationId: reservationIdOf("o-1"), actor: system },
      { type: "CancelOrder", reason: "customer request", actor: customer },
    ]);
    expect(events).toContainEqual({ type: "OrderCancelled", reason: "customer request", reasonCode: "customer-asked", refundDue: true });
    expect(events).toContainEqual({ type: "StockReleaseRequested", reservationId: reservationIdOf("o-1"), reason: "order cancelled" });
  });

  it("is cancelled by the customer, their platform, an order taker, customer service or the store manager, and by no one else", () => {
    const order = run([createCommand({}, false)]).order;
    // A platform's is an order that came in on it (callers-orders.ts).
    const cancel = (actor: OrderCommand["actor"]) =>
      decide({ type: "CancelOrder", reason: "changed my mind", actor }, actor.kind === "platform" ? { ...order, channel: `marketplace:${actor.id}` } : order);
    const staff = (role: string) => ({ kind: "staff", id: `s-${role}`, role }) as const;
    for (const actor of [customer, { kind: "platform", id: "taobao", role: "platform" } as const, staff("order-taker"), staff("customer-service"), staff("store-manager")]) {
      expect(cancel(actor).map((e) => e.type)).toEqual(["StatusChanged", "OrderCancelled"]);
    }
    for (const actor of [staff("warehouse-clerk"), staff("rider"), finance, system]) {
      expect(() => cancel(actor)).toThrow(expect.objectContaining({ kind: "forbidden", code: "order.cancel-not-permitted" }));
    }
    expect(() => cancel(staff("rider"))).toThrow(/the caller is staff with role rider/);
  });

  it("tells its customer the store's reasons only when staff cancel: a customer or a platform names a reason of the customer's side", () => {
    const order = run([createCommand({}, false)]).order;
    const cancel = (actor: OrderCommand["actor"], reasonCode: string) =>
      decide(
        { type: "CancelOrder", reason: "changed my mind", reasonCode: reasonCode as never, actor },
        actor.kind === "platform" ? { ...order, channel: `marketplace:${actor.id}` } : order,
      );
    const platform = { kind: "platform", id: "taobao", role: "platform" } as const;
    const taker = { kind: "staff", id: "s-1", role: "order-taker" } as const;
    for (const code of ["customer-asked", "duplicate-order"]) expect(cancel(customer, code)).toContainEqual(expect.objectContaining({ type: "OrderCancelled", reasonCode: code }));
    for (const code of ["customer-asked", "duplicate-order", "payment-not-received"]) expect(cancel(platform, code)).toContainEqual(expect.objectContaining({ reasonCode: code }));
    for (const code of ["store-decision", "out-of-stock", "cannot-deliver", "payment-not-received"]) {
      expect(() => cancel(customer, code)).toThrow(expect.objectContaining({ kind: "validation", fields: [expect.objectContaining({ field: "reasonCode" })] }));
    }
    for (const code of ["store-decision", "out-of-stock", "cannot-deliver"]) expect(() => cancel(platform, code)).toThrow(/customer-asked, duplicate-order, payment-not-received/);
    // Out of stock is the customer's word too when the order waits for stock: their answer to the shortage.
    const waiting = { ...order, status: "on-hold", holdReason: "awaiting-stock" } as const;
    for (const actor of [customer, platform]) {
      const onWaiting = decide({ type: "CancelOrder", reason: "out of stock: the customer chose to cancel", reasonCode: "out-of-stock", actor }, actor.kind === "platform" ? { ...waiting, channel: "marketplace:taobao" } : waiting);
      expect(onWaiting).toContainEqual(expect.objectContaining({ type: "OrderCancelled", reasonCode: "out-of-stock" }));
    }
    for (const code of ["store-decision", "out-of-stock", "cannot-deliver", "payment-not-received", "duplicate-order", "customer-asked"]) {
      expect(cancel(taker, code)).toContainEqual(expect.objectContaining({ reasonCode: code }));
    }
  });

  it("is confirmed by the customer, their platform, or an order taker, customer service or the store manager with the customer, and by no one else", () => {
    const order = run([createCommand({}, false)]).order;
    const confirm = (actor: OrderCommand["actor"]) =>
      decide({ type: "ConfirmOrder", actor }, actor.kind === "platform" ? { ...order, channel: `marketplace:${actor.id}` } : order);
    const staff = (role: string) => ({ kind: "staff", id: `s-${role}`, role }) as const;
    for (const actor of [customer, { kind: "platform", id: "taobao", role: "platform" } as const, staff("order-taker"), staff("customer-service"), staff("store-manager")]) {
      expect(statuses(confirm(actor).map((e) => e)).at(0), actor.role).toBe("confirmed");
    }
    for (const actor of [staff("warehouse-clerk"), staff("rider"), staff("auditor"), staff("dispatcher"), finance, system]) {
      expect(() => confirm(actor)).toThrow(expect.objectContaining({ kind: "forbidden", code: "order.confirm-not-permitted" }));
    }
    expect(() => confirm(staff("rider"))).toThrow(/the caller is staff with role rider/);
  });

  it("gives stock back when it is reserved for an order cancelled meanwhile", () => {
    const { events } = run([
      createCommand(),
      { type: "CancelOrder", reason: "too slow", actor: customer },
      { type: "RecordStockReserved", reservationId: reservationIdOf("o-1"), actor: system },
    ]);
    expect(events.at(-1)).toMatchObject({ type: "StockReleaseRequested" });
  });
});

describe("the transition table", () => {
  it("never leaves a closed, cancelled or rejected order", () => {
    for (const to of ["confirmed", "shipped", "closed"] as const) {
      expect(canTransition("closed", to)).toBe(false);
      expect(canTransition("cancelled", to)).toBe(false);
    }
  });

  it("does not ship an order that was never packed or assigned", () => {
    expect(canTransition("reserved", "shipped")).toBe(false);
  });
});

describe("backorders", () => {
  const reservationId = reservationIdOf("o-1");
  const held = () => run([createCommand(), { type: "RecordStockShortage", reservationId, skus: ["KETTLE"], actor: system }]).order;

  it("asks the warehouse again under a new reservation id when stock comes in, once until answered", () => {
    const retried = decide({ type: "RetryReservation", actor: system }, held());
    expect(retried).toEqual([expect.objectContaining({ type: "StockReservationRequested", reservationId: reservationIdOf("o-1", 2) })]);
    const waiting = evolveAll(held(), retried)!;
    expect(waiting).toMatchObject({ status: "on-hold", reservationPending: true });
    const stillShort = evolveAll(waiting, decide({ type: "RecordStockShortage", reservationId: reservationIdOf("o-1", 2), skus: ["KETTLE"], actor: system }, waiting))!;
    expect(stillShort).toMatchObject({ status: "on-hold", holdReason: "awaiting-stock", reservationPending: false });
  });

  it("gives back stock reserved under a reservation the order no longer waits for", () => {
    const waiting = evolveAll(held(), decide({ type: "RetryReservation", actor: system }, held()))!;
    expect(decide({ type: "RecordStockReserved", reservationId, actor: system }, waiting)).toEqual([
      { type: "StockReleaseRequested", reservationId, reason: "superseded by a newer reservation" },
    ]);
  });

  it("does not retry an order that is not waiting for stock", () => {
    expect(decide({ type: "RetryReservation", actor: system }, run([createCommand()]).order)).toEqual([]);
  });
});


describe("a goods order's requested delivery time", () => {
  const due = "2026-12-06T18:00:00.000Z";
  const passed = { type: "DeliveryDeadlinePassed", dueAt: due, actor: system } as const;

  it("escalates to the store manager an order not delivered by then, once per deadline, and nothing once it reached the customer or ended", () => {
    const { order } = run([createCommand({ requestedUntil: due })]);
    expect(decide(passed, order)).toEqual([
      { type: "Escalated", level: 1, reason: `not delivered by ${due}, the time the customer asked for: still credit-checked`, escalatedTo: "store-manager" },
    ]);
    for (const status of ["delivered", "accepted", "completed", "closed", "cancelled"] as const) expect(decide(passed, { ...order, status })).toEqual([]);
    // A correction moved the time since the timer was set: that deadline is another one's.
    expect(decide(passed, { ...order, requestedUntil: "2026-12-07T18:00:00.000Z" })).toEqual([]);
    expect(decide(passed, { ...order, kind: "service" })).toEqual([]);
  });
});

describe("whose order a customer acts on", () => {
  const other = { kind: "customer", id: "c-2", role: "customer" } as const;
  it("refuses another account's order as if it did not exist, whatever the step", () => {
    const order = anOrder({ status: "awaiting-confirmation" });
    for (const command of [
      { type: "ConfirmOrder", actor: other },
      { type: "CancelOrder", actor: other, reason: "not mine" },
      { type: "AcceptDelivery", actor: other },
      { type: "RejectDelivery", actor: other, reason: "not mine" },
    ] as OrderCommand[]) {
      expect(() => decide(command, order), command.type).toThrow(expect.objectContaining({ code: "order.not-found" }));
    }
    expect(decide({ type: "CancelOrder", actor: customer, reason: "changed my mind" }, order).length).toBeGreaterThan(0);
  });

  it("lets whoever holds a guest order's id act on it", () => {
    expect(decide({ type: "CancelOrder", actor: other, reason: "changed my mind" }, anOrder({ customerId: "", status: "awaiting-confirmation" })).length).toBeGreaterThan(0);
  });
});
