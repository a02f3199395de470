import { describe, expect, it } from "vitest";
import { ValidationError } from "@oms/errors";
import { chainWide, type StoreScope } from "@oms/identity";
import { anonymousCustomerId, assertOrdersAsThemself, callerReachesOrder, customerOwnsOrder, refusalNamesHolder } from "./callers-orders.ts";
import { customersOwnChannels, directChannels, storeChannels } from "./order-submission.ts";

describe("the order's own customer (who sees its pick-up code and reads its invoices)", () => {
  const customer = (id: string) => ({ kind: "customer", id, role: "customer" }) as const;
  it("is the customer the order names: no other customer, no anonymous caller, no staff member under the same id", () => {
    expect(customerOwnsOrder(customer("c-zhou"), "c-zhou")).toBe(true);
    expect(customerOwnsOrder(customer("c-wang"), "c-zhou")).toBe(false);
    expect(customerOwnsOrder(customer(anonymousCustomerId), "c-zhou")).toBe(false);
    expect(customerOwnsOrder({ kind: "staff", id: "c-zhou", role: "warehouse-clerk" }, "c-zhou")).toBe(false);
  });

  it("is a customer holding a guest order's id, which names no customer to check, and never staff or a platform", () => {
    expect(customerOwnsOrder(customer(anonymousCustomerId), "")).toBe(true);
    expect(customerOwnsOrder({ kind: "staff", id: "s-1", role: "counter" }, "")).toBe(false);
    expect(customerOwnsOrder({ kind: "platform", id: "tmall", role: "platform" }, "")).toBe(false);
  });
});

describe("who reaches an order by its id (reading it, confirming, cancelling, answering its delivery or shortage)", () => {
  const customer = (id: string) => ({ kind: "customer", id, role: "customer" }) as const;
  const tmall = { kind: "platform", id: "tmall", role: "platform" } as const;
  const accountOrder = { customerId: "c-zhou", channel: "website" };
  const guestOrder = { customerId: "", channel: "website" };

  it("is the customer the order names, or anyone holding a guest order's id; never another customer or the anonymous caller", () => {
    expect(callerReachesOrder(customer("c-zhou"), accountOrder)).toBe(true);
    expect(callerReachesOrder(customer("c-wang"), accountOrder)).toBe(false);
    expect(callerReachesOrder(customer(anonymousCustomerId), accountOrder)).toBe(false);
    expect(callerReachesOrder(customer(anonymousCustomerId), guestOrder)).toBe(true);
  });

  it("is a marketplace for the orders that came in on it only, a guest's included", () => {
    expect(callerReachesOrder(tmall, { customerId: "c-zhou", channel: "marketplace:tmall" })).toBe(true);
    expect(callerReachesOrder(tmall, { customerId: "", channel: "marketplace:tmall" })).toBe(true);
    expect(callerReachesOrder(tmall, { customerId: "", channel: "marketplace:pinduoduo" })).toBe(false);
    expect(callerReachesOrder(tmall, { customerId: "", channel: "tmall" })).toBe(false);
    expect(callerReachesOrder(tmall, accountOrder)).toBe(false);
    expect(callerReachesOrder(tmall, guestOrder)).toBe(false);
  });

  it("is, for recording a delivery, the marketplace the order came in on; a platform named after a carrier reaches no order", () => {
    // Intake knows no carrier as a caller: a shipment's carrier is words a clerk wrote, not an identity.
    const carrierNamed = { kind: "platform", id: "sf-express", role: "platform" } as const;
    for (const channel of ["website", "app", "social", "pos", "phone", "email", "marketplace:tmall", "sf-express", "marketplace:sf"]) {
      expect(callerReachesOrder(carrierNamed, { customerId: "", channel })).toBe(false);
    }
    expect(callerReachesOrder(tmall, { customerId: "c-zhou", channel: "marketplace:tmall" })).toBe(true);
    expect(callerReachesOrder(tmall, { customerId: "", channel: "pos" })).toBe(false);
  });

  it("leaves staff to the role table and the store scope", () => {
    expect(callerReachesOrder({ kind: "staff", id: "s-1", role: "order-taker" }, accountOrder)).toBe(true);
  });
});

describe("whom and on which channel a caller's order may name", () => {
  const customer = (id: string) => ({ kind: "customer", id, role: "customer" }) as const;
  it("is themself or no one for a signed-in customer; another account is refused by field", () => {
    expect(() => assertOrdersAsThemself(customer("c-zhou"), { channel: "website", customerId: "c-zhou" })).not.toThrow();
    expect(() => assertOrdersAsThemself(customer("c-zhou"), { channel: "website" })).not.toThrow();
    expect(() => assertOrdersAsThemself(customer("c-zhou"), { channel: "website", customerId: "" })).not.toThrow();
    expect(() => assertOrdersAsThemself(customer("c-zhou"), { channel: "website", customerId: "c-wang" })).toThrow(ValidationError);
    try {
      assertOrdersAsThemself(customer("c-zhou"), { channel: "website", customerId: "c-wang" });
    } catch (error) {
      expect((error as ValidationError).fields.map((f) => f.field)).toEqual(["customer.customerId"]);
    }
  });

  it("is whoever staff or a marketplace take it for", () => {
    expect(() => assertOrdersAsThemself({ kind: "staff", id: "s-7", role: "order-taker" }, { channel: "tmall", customerId: "c-wang" })).not.toThrow();
    expect(() => assertOrdersAsThemself({ kind: "platform", id: "tmall", role: "platform" }, { channel: "marketplace:tmall", customerId: "c-wang" })).not.toThrow();
  });

  it("names no account and no marketplace for the anonymous caller, the guest checkout", () => {
    const guest = customer(anonymousCustomerId);
    expect(() => assertOrdersAsThemself(guest, { channel: "website" })).not.toThrow();
    expect(() => assertOrdersAsThemself(guest, { channel: "app", customerId: "" })).not.toThrow();
    const refused = (submission: { channel: string; customerId?: string }) => {
      try {
        assertOrdersAsThemself(guest, submission);
      } catch (error) {
        return (error as ValidationError).fields.map((f) => f.field);
      }
      return [];
    };
    // Named, the account's credit would be anyone's to buy on; a marketplace's order would be that marketplace's to be told of.
    expect(refused({ channel: "website", customerId: "b-acme" })).toEqual(["customer.customerId"]);
    expect(refused({ channel: "marketplace:tmall" })).toEqual(["channel"]);
    expect(refused({ channel: "marketplace:tmall", customerId: "c-wang" })).toEqual(["customer.customerId", "channel"]);
  });

  it("is on an online channel for a customer's own order, signed in or not: the store channels are staff's", () => {
    const channelsRefused = (caller: ReturnType<typeof customer>, channel: string) => {
      try {
        assertOrdersAsThemself(caller, { channel });
      } catch (error) {
        return (error as ValidationError).fields;
      }
      return [];
    };
    for (const caller of [customer(anonymousCustomerId), customer("c-zhou")]) {
      for (const channel of customersOwnChannels) expect(channelsRefused(caller, channel)).toEqual([]);
      for (const channel of storeChannels) {
        expect(channelsRefused(caller, channel)).toEqual([{ field: "channel", message: `${channel} orders are taken by the store's staff; a customer's own order is placed on website, app, social` }]);
      }
      // A signed-in customer claims no marketplace's channel either.
      expect(channelsRefused(caller, "marketplace:tmall").map((f) => f.field)).toEqual(["channel"]);
    }
    expect(() => assertOrdersAsThemself(customer("c-zhou"), { channel: "phone", customerId: "c-wang" })).toThrow(ValidationError);
  });

  it("leaves the store channels to staff of the roles that take orders, and names both wrong fields at once", () => {
    // Which staff roles take orders at all is the role table's (permissions.ts, "submit-order").
    for (const role of ["order-taker", "store-manager"]) {
      for (const channel of storeChannels) expect(() => assertOrdersAsThemself({ kind: "staff", id: "s-7", role }, { channel, customerId: "c-wang" })).not.toThrow();
    }
    try {
      assertOrdersAsThemself(customer(anonymousCustomerId), { channel: "pos", customerId: "b-acme" });
      expect.unreachable();
    } catch (error) {
      expect((error as ValidationError).fields.map((f) => f.field)).toEqual(["customer.customerId", "channel"]);
    }
  });

  it("splits the direct channels into a customer's own and the store's, none in both", () => {
    expect([...customersOwnChannels, ...storeChannels].sort()).toEqual([...directChannels].sort());
  });

  it("is on its own channel only for a marketplace", () => {
    expect(() => assertOrdersAsThemself({ kind: "platform", id: "tmall", role: "platform" }, { channel: "website" })).toThrow(ValidationError);
    expect(() => assertOrdersAsThemself({ kind: "platform", id: "tmall", role: "platform" }, { channel: "marketplace:pinduoduo" })).toThrow(ValidationError);
  });
});

describe("whom a refused repeat of a channel order or Idempotency-Key tells which order holds it", () => {
  const customer = (id: string) => ({ kind: "customer", id, role: "customer" }) as const;
  const guestOrder = { customerId: "", channel: "website", storeId: "store-sh-jingan" };
  const accountOrder = { customerId: "c-zhou", channel: "website", storeId: "store-sh-jingan" };
  const heldTo = (...stores: string[]): StoreScope => ({ kind: "stores", stores: new Set(stores) });

  it("is never a customer for a guest order, whose id is its receipt, nor for another account's", () => {
    expect(refusalNamesHolder(customer(anonymousCustomerId), chainWide, guestOrder)).toBe(false);
    expect(refusalNamesHolder(customer("c-zhou"), chainWide, guestOrder)).toBe(false);
    expect(refusalNamesHolder(customer("c-wang"), chainWide, accountOrder)).toBe(false);
    expect(refusalNamesHolder(customer(anonymousCustomerId), chainWide, accountOrder)).toBe(false);
  });

  it("is the customer whose account's order it is, a marketplace for its own channel's, and staff", () => {
    expect(refusalNamesHolder(customer("c-zhou"), chainWide, accountOrder)).toBe(true);
    const tmall = { kind: "platform", id: "tmall", role: "platform" } as const;
    expect(refusalNamesHolder(tmall, chainWide, { ...guestOrder, channel: "marketplace:tmall" })).toBe(true);
    expect(refusalNamesHolder(tmall, chainWide, { ...guestOrder, channel: "marketplace:pinduoduo" })).toBe(false);
    expect(refusalNamesHolder(tmall, chainWide, guestOrder)).toBe(false);
    expect(refusalNamesHolder({ kind: "staff", id: "s-7", role: "order-taker" }, chainWide, guestOrder)).toBe(true);
  });

  it("is staff held to stores only for an order of one of their stores: a guest order's id reaches it without any token", () => {
    const orderTaker = { kind: "staff", id: "ot-2", role: "order-taker" } as const;
    expect(refusalNamesHolder(orderTaker, heldTo("store-sh-jingan"), guestOrder)).toBe(true);
    expect(refusalNamesHolder(orderTaker, heldTo("store-sh-pudong", "store-sh-jingan"), accountOrder)).toBe(true);
    expect(refusalNamesHolder(orderTaker, heldTo("store-sh-pudong"), guestOrder)).toBe(false);
    expect(refusalNamesHolder(orderTaker, heldTo("store-sh-pudong"), accountOrder)).toBe(false);
  });
});
