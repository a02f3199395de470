import { describe, expect, it } from "vitest";
import { ValidationError } from "@oms/errors";
import { openerOf, type CaseCaller } from "./case-callers.ts";
import { caseOpenedBy, checkedCaseRequest, decideOpening, isRepeatOfOpening, type CaseRequest } from "./case-opening.ts";
import type { OrderFacts } from "./order-facts.ts";
import { caseKinds, defaultPolicyOf } from "./policy.ts";

const now = new Date("2026-11-27T12:00:00Z");
const facts: OrderFacts = {
  orderId: "o-1",
  storeId: "s-1",
  kind: "goods",
  status: "delivered",
  deliveredAt: new Date("2026-11-24T09:30:00Z"),
  customerId: "c-1",
  lines: [
    { sku: "KETTLE-1", quantity: 2 },
    { sku: "CUP-6", quantity: 6 },
    { sku: "KETTLE-1", quantity: 1 },
  ],
  grandTotalMinor: 30_000,
  currency: "CNY",
};
const policy = defaultPolicyOf("s-1", { warrantyDays: 365, returnDays: 7, complaintResponseHours: 24, kinds: [...caseKinds], process: "", liability: "" });
const agent: CaseCaller = { kind: "staff", id: "cs-1", role: "customer-service" };
const customer: CaseCaller = { kind: "customer", id: "c-1", role: "customer" };
const ask = (more: Partial<CaseRequest> = {}): CaseRequest => ({
  caseId: "case-1",
  orderId: "o-1",
  kind: "return",
  channel: "phone",
  description: "the kettle leaks",
  lines: [{ sku: "KETTLE-1", quantity: 1 }],
  ...more,
});
const open = (request: CaseRequest, opener = agent, more: Partial<OrderFacts> = {}, at = now, namedByOtherCases = new Map<string, number>()) =>
  decideOpening({ request, opener, facts: { ...facts, ...more }, policy, namedByOtherCases, correlationId: "corr-1", now: at });
const fieldsOf = (fn: () => unknown) => {
  try {
    fn();
  } catch (error) {
    if (error instanceof ValidationError) return error.fields.map((f) => `${f.field}: ${f.message}`);
    throw error;
  }
  return [];
};
const code = (fn: () => unknown) => {
  try {
    fn();
  } catch (error) {
    return `${(error as Error).constructor.name} ${(error as { code?: string }).code}`;
  }
  return "no error";
};

describe("opening a case", () => {
  it("records a request within the policy as open, by who opened it, in the request's chain", () => {
    const events = open(ask());
    expect(events.map((e) => e.type)).toEqual(["CaseOpened"]);
    expect(caseOpenedBy(events)).toMatchObject({ caseId: "case-1", storeId: "s-1", status: "open", openedBy: "staff:cs-1", openedAt: now, correlationId: "corr-1", withinPolicy: true, policyNote: "", refundMinor: 0 });
    expect(caseOpenedBy(events).respondBy).toBeUndefined();
  });

  it("records a request out of the policy and declines it at once with the reason", () => {
    const late = new Date("2026-12-02T12:00:00Z");
    const events = open(ask(), agent, {}, late);
    expect(events).toEqual([
      expect.objectContaining({ type: "CaseOpened", opening: expect.objectContaining({ withinPolicy: false, policyNote: expect.stringMatching(/^the return period of 7 days ended on 2026-12-01/) }) }),
      { type: "CaseDeclined", explanation: expect.stringMatching(/ended on 2026-12-01/), byPolicy: true, by: "system:after-sales", at: late },
    ]);
    expect(caseOpenedBy(events)).toMatchObject({ status: "declined", decidedBy: "system:after-sales", decisionNote: expect.stringMatching(/return period/) });
  });

  it("gives a complaint taken in its respond-by time from the policy's hours", () => {
    const opened = caseOpenedBy(open(ask({ kind: "complaint", lines: [] }), agent, { deliveredAt: undefined }));
    expect(opened.respondBy).toEqual(new Date(now.getTime() + 24 * 3600_000));
    const refused = caseOpenedBy(decideOpening({ request: ask({ kind: "complaint", lines: [] }), opener: agent, facts, policy: { ...policy, kinds: ["return"] }, namedByOtherCases: new Map(), correlationId: "", now }));
    expect(refused).toMatchObject({ status: "declined", withinPolicy: false });
    expect(refused.respondBy).toBeUndefined();
  });

  it("lets the order's own customer open a case, and no other customer; a guest order's customer holding its id", () => {
    expect(caseOpenedBy(open(ask(), customer)).openedBy).toBe("customer:c-1");
    expect(code(() => open(ask(), { ...customer, id: "c-2" }))).toBe("NotFoundError after-sales.order-unknown");
    expect(caseOpenedBy(open(ask(), { ...customer, id: "c-2" }, { customerId: "" })).openedBy).toBe("customer:c-2");
    expect(code(() => openerOf({ kind: "staff", id: "r-1", role: "rider" }))).toBe("ForbiddenError caller.not-permitted");
    expect(code(() => openerOf({ kind: "platform", id: "p-1", role: "platform" }))).toBe("ForbiddenError caller.not-permitted");
    expect(code(() => openerOf(undefined))).toBe("UnauthenticatedError caller.missing");
    for (const role of ["customer-service", "order-taker", "store-manager", "supervisor"]) expect(openerOf({ kind: "staff", id: "x", role }).role).toBe(role);
  });

  it("refuses a customer who is no one: the gateway's anonymous caller, or an empty id, even for a guest order", () => {
    for (const id of ["anonymous", "", " "]) {
      expect(code(() => openerOf({ kind: "customer", id, role: "customer" }))).toBe("ForbiddenError after-sales.customer-unknown");
    }
    try {
      openerOf({ kind: "customer", id: "anonymous", role: "customer" });
    } catch (error) {
      expect((error as Error).message).toMatch(/sign in .* call customer service/);
    }
    expect(openerOf({ kind: "customer", id: "c-2", role: "" })).toEqual({ kind: "customer", id: "c-2", role: "customer" });
  });

  it("refuses, without recording anything, a request that needs a delivered order asked before after-sales heard of the delivery", () => {
    const undelivered = { deliveredAt: undefined, status: "shipped" };
    for (const kind of ["return", "exchange", "repair", "maintenance"] as const) {
      expect(code(() => open(ask({ kind }), customer, undelivered))).toBe("IllegalStateError after-sales.not-delivered-yet");
    }
    try {
      open(ask(), customer, undelivered);
    } catch (error) {
      expect((error as Error).message).toBe("order o-1 is shipped as far as after-sales knows, not delivered yet; the return may be asked again once it is delivered");
    }
    // A complaint needs no delivery; a kind the store does not take is still declined by the policy.
    expect(caseOpenedBy(open(ask({ kind: "complaint", lines: [] }), customer, undelivered)).status).toBe("open");
    const noRepairs = decideOpening({ request: ask({ kind: "repair" }), opener: agent, facts: { ...facts, ...undelivered }, policy: { ...policy, kinds: ["return"] }, namedByOtherCases: new Map(), correlationId: "", now });
    expect(caseOpenedBy(noRepairs)).toMatchObject({ status: "declined", policyNote: "the store does not take repair requests" });
    // An order cancelled before delivery will never be delivered: recorded and declined, not "asked too early".
    const cancelled = caseOpenedBy(open(ask(), customer, { deliveredAt: undefined, status: "cancelled" }));
    expect(cancelled).toMatchObject({ status: "declined", withinPolicy: false, policyNote: "order o-1 was cancelled before it was delivered: there is nothing to return" });
  });

  it("names goods of the order only, at most in the quantities ordered (summed over its lines)", () => {
    expect(fieldsOf(() => open(ask({ lines: [{ sku: "KETTLE-1", quantity: 3 }, { sku: "CUP-6", quantity: 6 }] })))).toEqual([]);
    expect(fieldsOf(() => open(ask({ lines: [{ sku: "KETTLE-1", quantity: 4 }, { sku: "TOASTER", quantity: 1 }] })))).toEqual([
      "lines[0].quantity: must be at most 3, the quantity of KETTLE-1 ordered",
      "lines[1].sku: TOASTER is not on order o-1",
    ]);
  });

  it("lets a return or an exchange name only what the order's other returns and exchanges (not declined) left of the goods", () => {
    const named = new Map([["KETTLE-1", 2]]);
    expect(fieldsOf(() => open(ask({ lines: [{ sku: "KETTLE-1", quantity: 1 }] }), agent, {}, now, named))).toEqual([]);
    expect(fieldsOf(() => open(ask({ kind: "exchange", lines: [{ sku: "KETTLE-1", quantity: 2 }, { sku: "CUP-6", quantity: 6 }] }), agent, {}, now, named))).toEqual([
      "lines[0].quantity: must be at most 1: 3 of KETTLE-1 ordered, 2 already named by the order's other returns and exchanges",
    ]);
    expect(fieldsOf(() => open(ask({ lines: [{ sku: "KETTLE-1", quantity: 1 }] }), agent, {}, now, new Map([["KETTLE-1", 3]])))).toEqual([
      "lines[0].quantity: must be at most 0: 3 of KETTLE-1 ordered, 3 already named by the order's other returns and exchanges",
    ]);
    // A repair, maintenance or complaint takes nothing back: it may name goods already returned.
    expect(fieldsOf(() => open(ask({ kind: "repair", lines: [{ sku: "KETTLE-1", quantity: 3 }] }), agent, {}, now, new Map([["KETTLE-1", 3]])))).toEqual([]);
  });
});

describe("checking an OpenCase request", () => {
  const input = { caseId: "case-1", orderId: "o-1", kind: "return", channel: "email", description: " leaks ", lines: [{ sku: " KETTLE-1 ", quantity: 1 }] };

  it("trims what it keeps", () => {
    expect(checkedCaseRequest(input, agent)).toEqual({ caseId: "case-1", orderId: "o-1", kind: "return", channel: "email", description: "leaks", lines: [{ sku: "KETTLE-1", quantity: 1 }] });
  });

  it("refuses every wrong field by name", () => {
    expect(fieldsOf(() => checkedCaseRequest({ ...input, caseId: " ", orderId: "", kind: "refund", channel: "fax", description: "" }, agent)).map((f) => f.split(":")[0])).toEqual([
      "caseId",
      "orderId",
      "kind",
      "channel",
      "description",
    ]);
    expect(fieldsOf(() => checkedCaseRequest({ ...input, lines: [] }, agent))).toEqual(["lines: must name the goods to return"]);
    expect(fieldsOf(() => checkedCaseRequest({ ...input, kind: "complaint", lines: [] }, agent))).toEqual([]);
    expect(fieldsOf(() => checkedCaseRequest({ ...input, lines: [{ sku: "A", quantity: 0 }, { sku: "A", quantity: 1.5 }, { sku: "", quantity: 1 }] }, agent))).toEqual([
      "lines[0].quantity: must be a whole number of at least 1",
      "lines[1].sku: names A a second time",
      "lines[1].quantity: must be a whole number of at least 1",
      "lines[2].sku: is required",
    ]);
    expect(fieldsOf(() => checkedCaseRequest({ ...input, description: "x".repeat(2001), caseId: "c".repeat(201) }, agent)).map((f) => f.split(":")[0])).toEqual(["caseId", "description"]);
  });

  it("takes a customer's own case online only: the store's channels are the desk's, who take calls, e-mails and counter visits", () => {
    for (const channel of ["phone", "email", "store-counter"]) {
      expect(fieldsOf(() => checkedCaseRequest({ ...input, channel }, customer))).toEqual([
        `channel: ${channel} cases are taken by the store's staff, who record calls, e-mails and counter visits; a customer's own case uses the channel online`,
      ]);
    }
    expect(checkedCaseRequest({ ...input, channel: "online" }, customer).channel).toBe("online");
    // Staff record a request however it came, online included (a customer who wrote through the site and called about it).
    for (const channel of ["phone", "email", "store-counter", "online"]) expect(checkedCaseRequest({ ...input, channel }, agent).channel).toBe(channel);
    // An unknown channel is named once, as for staff, with every channel there is.
    expect(fieldsOf(() => checkedCaseRequest({ ...input, channel: "fax" }, customer))).toEqual(["channel: must be one of phone, email, online, store-counter"]);
  });
});

describe("a case id used again", () => {
  const stored = caseOpenedBy(open(ask({ lines: [{ sku: "KETTLE-1", quantity: 1 }, { sku: "CUP-6", quantity: 2 }] })));

  it("repeats the case when everything asked is the same, whenever and in whatever chain it is sent", () => {
    const retry = caseOpenedBy(decideOpening({ request: ask({ lines: [{ sku: "CUP-6", quantity: 2 }, { sku: "KETTLE-1", quantity: 1 }] }), opener: agent, facts, policy, namedByOtherCases: new Map(), correlationId: "corr-2", now: new Date(now.getTime() + 60_000) }));
    expect(isRepeatOfOpening(retry, stored)).toBe(true);
  });

  it("is refused for another order, opener, kind, channel, description or goods", () => {
    const reused = (request: Partial<CaseRequest>, opener = agent, more: Partial<OrderFacts> = {}) => code(() => isRepeatOfOpening(caseOpenedBy(open(ask(request), opener, more)), stored));
    const expected = "IllegalStateError after-sales.case-id-reused";
    expect(reused({ lines: [{ sku: "KETTLE-1", quantity: 1 }] })).toBe(expected);
    expect(reused({ lines: [{ sku: "KETTLE-1", quantity: 2 }, { sku: "CUP-6", quantity: 2 }] })).toBe(expected);
    expect(reused({ kind: "exchange", lines: stored.lines })).toBe(expected);
    expect(reused({ channel: "online", lines: stored.lines })).toBe(expected);
    expect(reused({ description: "the lid is broken", lines: stored.lines })).toBe(expected);
    expect(reused({ lines: stored.lines }, { ...agent, id: "cs-2" })).toBe(expected);
    expect(reused({ lines: stored.lines, orderId: "o-2" }, agent, { orderId: "o-2" })).toBe(expected);
  });

  it("refuses other words without repeating either (the refusal reaches logs and the caller)", () => {
    const words = ask({ description: "Wang Fang, 138 0013 8000, the lid is broken", lines: stored.lines });
    const refused = (() => {
      try {
        isRepeatOfOpening(caseOpenedBy(open(words)), stored);
      } catch (error) {
        return (error as Error).message;
      }
      return "granted";
    })();
    expect(refused).toMatch(/already opened/);
    expect(refused).not.toMatch(/138|Wang|kettle leaks/);
  });

  it("compares only words the app opened: a stored description still sealed is a wiring mistake, not another content", () => {
    const sealed = { ...stored, description: { sealed: new Uint8Array([1, 2, 3]) } };
    expect(() => isRepeatOfOpening(caseOpenedBy(open(ask({ lines: stored.lines }))), sealed)).toThrow(/still sealed/);
  });
});

describe("the opening's words", () => {
  it("are held as asked, in the clear, until the app seals them to store and announce the case", () => {
    expect(caseOpenedBy(open(ask({ description: "the kettle leaks" }))).description).toEqual({ clear: "the kettle leaks" });
  });
});
