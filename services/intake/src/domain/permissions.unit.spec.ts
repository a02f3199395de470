import { describe, expect, it } from "vitest";
import type { Actor } from "@oms/contracts";
import { ForbiddenError } from "@oms/errors";
import { assertPermitted, caseListActionFor, gatewayActions, taskListActionFor, type GatewayAction } from "./permissions.ts";

const staff = (role: string): Actor => ({ kind: "staff", id: "s-1", role });
const customer: Actor = { kind: "customer", id: "c-42", role: "customer" };
const platform: Actor = { kind: "platform", id: "sf-express", role: "platform" };

const callers: Record<string, Actor> = {
  customer,
  platform,
  rider: staff("rider"),
  "service-staff": staff("service-staff"),
  "business-owner": staff("business-owner"),
  "order-taker": staff("order-taker"),
  finance: staff("finance"),
  "warehouse-clerk": staff("warehouse-clerk"),
  "store-manager": staff("store-manager"),
  reviewer: staff("reviewer"),
  supervisor: staff("supervisor"),
  "customer-service": staff("customer-service"),
  auditor: staff("auditor"),
  dispatcher: staff("dispatcher"),
  // The pick-up handover (tasks by the skill `counter`): a role of its own, which takes no orders.
  counter: staff("counter"),
};

const permitted = (caller: Actor, action: GatewayAction) => {
  try {
    assertPermitted(caller, action);
    return true;
  } catch (error) {
    if (error instanceof ForbiddenError) return false;
    throw error;
  }
};

/** Who may take each step, by caller name: everyone else is refused. */
const expected: Record<GatewayAction, string[]> = {
  // DOMAIN.md: the order takers record counter, phone and e-mail orders, the store manager answers for the store;
  // customers order online and marketplaces push their own (callers-orders.ts holds each to their channels).
  "submit-order": ["customer", "platform", "order-taker", "store-manager"],
  // The customer's word, given online, through their marketplace, or to the desk that speaks for them (as cancelling).
  "confirm-order": ["customer", "platform", "order-taker", "store-manager", "customer-service"],
  "cancel-order": ["customer", "platform", "order-taker", "store-manager", "customer-service"],
  "record-delivery": ["platform", "rider", "service-staff", "business-owner", "order-taker", "store-manager", "counter"],
  "accept-delivery": ["customer", "order-taker"],
  "reject-delivery": ["customer", "order-taker"],
  "close-order": ["finance"],
  "confirm-payment": ["finance"],
  "decide-credit": ["finance"],
  "view-settlement": ["rider", "service-staff", "business-owner", "order-taker", "finance", "warehouse-clerk", "store-manager", "reviewer", "supervisor", "customer-service", "auditor", "dispatcher", "counter"],
  "list-refunds": ["finance", "customer-service"],
  "issue-refund": ["finance"],
  "list-invoices": ["customer", "finance", "store-manager", "customer-service", "auditor"],
  "view-invoice-register": ["finance", "store-manager", "auditor"],
  "assess-credit": ["finance"],
  "view-credit": ["finance", "store-manager", "customer-service", "auditor"],
  "run-reconciliation": ["finance"],
  "view-reconciliations": ["finance", "auditor"],
  "explain-reconciliation-difference": ["finance"],
  "open-settlement-dispute": ["customer", "finance", "store-manager", "customer-service"],
  "view-settlement-disputes": ["customer", "finance", "store-manager", "customer-service", "auditor"],
  "list-store-settlement-disputes": ["finance", "store-manager", "auditor"],
  "add-dispute-finding": ["rider", "finance", "warehouse-clerk", "store-manager", "supervisor", "customer-service", "dispatcher"],
  "resolve-settlement-dispute": ["finance"],
  "list-orders": ["rider", "service-staff", "business-owner", "order-taker", "finance", "warehouse-clerk", "store-manager", "reviewer", "supervisor", "customer-service", "auditor", "dispatcher", "counter"],
  "pick-reservation": ["warehouse-clerk"],
  "pack-reservation": ["warehouse-clerk"],
  "ship-reservation": ["warehouse-clerk"],
  "view-stock": ["rider", "service-staff", "business-owner", "order-taker", "finance", "warehouse-clerk", "store-manager", "reviewer", "supervisor", "customer-service", "auditor", "dispatcher", "counter"],
  "view-pick-list": ["warehouse-clerk", "store-manager"],
  "list-overdue-shipments": ["warehouse-clerk", "store-manager", "supervisor"],
  "count-stock": ["warehouse-clerk"],
  "receive-stock": ["warehouse-clerk"],
  "record-expected-restock": ["warehouse-clerk", "store-manager"],
  "list-expected-restocks": ["warehouse-clerk", "store-manager"],
  "list-expected-returns": ["warehouse-clerk", "store-manager"],
  "receive-return": ["warehouse-clerk", "store-manager"],
  "call-off-return": ["store-manager", "supervisor", "customer-service"],
  "list-replacements": ["warehouse-clerk", "store-manager"],
  "pick-replacement": ["warehouse-clerk"],
  "pack-replacement": ["warehouse-clerk"],
  "ship-replacement": ["warehouse-clerk"],
  "call-off-replacement": ["store-manager", "supervisor", "customer-service"],
  "move-replacement": ["store-manager", "supervisor", "customer-service"],
  "view-stock-availability": ["rider", "service-staff", "business-owner", "order-taker", "finance", "warehouse-clerk", "store-manager", "reviewer", "supervisor", "customer-service", "auditor", "dispatcher", "counter"],
  "list-reviews": ["reviewer"],
  "approve-review": ["reviewer"],
  "reject-review": ["reviewer"],
  "request-correction": ["order-taker", "customer-service"],
  "decide-correction": ["store-manager", "supervisor"],
  "list-corrections": ["order-taker", "store-manager", "supervisor", "customer-service"],
  "answer-shortage": ["customer", "order-taker"],
  "report-shipment-exception": ["warehouse-clerk", "store-manager"],
  "reject-reservation": ["store-manager"],
  "flag-customer": ["store-manager", "reviewer"],
  "unflag-customer": ["store-manager", "reviewer"],
  "list-flagged-customers": ["store-manager", "reviewer"],
  "view-task": ["rider", "service-staff", "business-owner", "order-taker", "finance", "warehouse-clerk", "store-manager", "reviewer", "supervisor", "customer-service", "auditor", "dispatcher", "counter"],
  "list-own-tasks": ["rider", "service-staff", "business-owner", "order-taker", "finance", "warehouse-clerk", "store-manager", "reviewer", "supervisor", "customer-service", "auditor", "dispatcher", "counter"],
  "list-staff-tasks": ["store-manager", "supervisor", "dispatcher"],
  "list-store-tasks": ["store-manager", "supervisor", "dispatcher"],
  "view-workload": ["store-manager", "supervisor", "dispatcher"],
  "list-overdue-steps": ["store-manager", "supervisor", "dispatcher"],
  "view-kpis": ["store-manager", "supervisor", "auditor"],
  "acknowledge-task": ["rider", "service-staff", "business-owner", "counter"],
  "decline-task": ["rider", "service-staff", "business-owner", "counter"],
  "confirm-appointment": ["service-staff", "business-owner"],
  "check-in": ["service-staff", "business-owner"],
  "write-service-record": ["service-staff", "business-owner"],
  "submit-service-report": ["service-staff", "business-owner"],
  "report-service-exception": ["service-staff", "business-owner"],
  "reschedule-visit": ["service-staff", "business-owner", "store-manager", "customer-service", "dispatcher"],
  "find-free-windows": ["order-taker", "customer-service", "dispatcher"],
  "book-service-window": ["order-taker", "customer-service"],
  "manage-staff": ["store-manager", "dispatcher"],
  "set-dispatch-settings": ["store-manager"],
  "request-dossier-access": ["finance", "store-manager", "supervisor", "customer-service", "auditor"],
  "decide-dossier-access": ["store-manager", "auditor"],
  "view-contact": ["customer", "rider", "service-staff", "business-owner", "order-taker", "finance", "warehouse-clerk", "store-manager", "reviewer", "supervisor", "customer-service", "counter"],
  "list-contact-disclosures": ["store-manager", "auditor"],
  "list-case-disclosures": ["store-manager", "auditor"],
  "list-dispute-disclosures": ["store-manager", "auditor"],
  "list-customer-flag-disclosures": ["store-manager", "auditor"],
  "view-dossier": ["finance", "store-manager", "supervisor", "customer-service", "auditor"],
  "list-dossier-access": ["store-manager", "auditor"],
  // ADR 029: auditors keep retention; disposing needs a chain-wide one too (the store scope's chainWideOnly).
  "list-dossier-retention": ["auditor"],
  "hold-dossier": ["auditor"],
  "dispose-dossiers": ["auditor"],
  "list-dossier-disposals": ["auditor"],
  "set-after-sales-policy": ["store-manager"],
  "open-after-sales-case": ["customer", "order-taker", "store-manager", "supervisor", "customer-service"],
  "list-after-sales-cases": ["store-manager", "supervisor", "customer-service"],
  "list-refund-shortfall-cases": ["finance", "store-manager", "supervisor", "customer-service"],
  "settle-refund-shortfall": ["finance"],
  "file-carrier-claim": ["store-manager", "supervisor", "customer-service"],
  "answer-carrier-claim": ["finance", "store-manager", "supervisor", "customer-service"],
  "list-carrier-claims": ["finance", "store-manager", "supervisor", "customer-service"],
  "record-carrier-receipt": ["finance"],
  "reverse-carrier-receipt": ["finance"],
  "record-carrier-remittance": ["finance"],
  "read-carrier-remittance": ["finance", "auditor"],
  "reverse-carrier-remittance": ["finance"],
  "list-carrier-recoveries": ["finance", "auditor"],
  "view-after-sales-case": ["customer", "store-manager", "supervisor", "customer-service"],
  "reject-after-sales-visit": ["customer", "store-manager", "supervisor", "customer-service"],
  "decide-after-sales-case": ["store-manager", "supervisor", "customer-service"],
  "view-after-sales-report": ["store-manager", "supervisor", "auditor"],
  "record-satisfaction": ["customer", "order-taker", "store-manager", "supervisor", "customer-service"],
  "list-customer-orders": ["customer", "order-taker", "store-manager", "supervisor", "customer-service"],
  "declare-force-majeure": ["store-manager", "supervisor"],
  "lift-force-majeure": ["store-manager", "supervisor"],
  "view-force-majeure": ["order-taker", "store-manager", "supervisor", "customer-service", "dispatcher"],
  "record-force-majeure-choice": ["order-taker", "store-manager", "customer-service"],
  // Whose tokens: domain/token-revocation.ts.
  "revoke-tokens": ["rider", "service-staff", "business-owner", "order-taker", "finance", "warehouse-clerk", "store-manager", "reviewer", "supervisor", "customer-service", "auditor", "dispatcher", "counter"],
  "list-token-revocations": ["store-manager", "auditor"],
  "view-store-profile": ["store-manager", "supervisor", "auditor"],
  "publish-store-profile": ["store-manager"],
  // Chain-wide only: the store scope refuses a scoped caller (the sku names no store).
  "publish-price-list-item": ["store-manager"],
  "withdraw-price-list-item": ["store-manager"],
  "set-store-price": ["store-manager"],
  "list-withdrawn-items": ["rider", "service-staff", "business-owner", "order-taker", "finance", "warehouse-clerk", "store-manager", "reviewer", "supervisor", "customer-service", "auditor", "dispatcher", "counter"],
  "list-catalogue-changes": ["store-manager", "auditor"],
  // Chain-wide only: platform-routes.ts refuses a scoped caller.
  "view-platform-settings": ["store-manager", "auditor"],
  "publish-platform-settings": ["store-manager"],
};

describe("gateway permissions", () => {
  it.each(gatewayActions)("lets exactly the right callers %s", (action) => {
    const allowed = Object.entries(callers).filter(([, caller]) => permitted(caller, action)).map(([name]) => name);
    expect(allowed).toEqual(expected[action]);
  });

  it("tells a refused caller who may, and what they are, without their id", () => {
    expect(() => assertPermitted(staff("rider"), "close-order")).toThrow(
      expect.objectContaining({ code: "caller.not-permitted", message: "only a finance clerk may close order; the caller is staff with role rider" }),
    );
    expect(() => assertPermitted(customer, "record-delivery")).toThrow(expect.objectContaining({ message: expect.stringMatching(/the caller is customer$/) }));
  });

  it("names the roles that take orders to staff of any other, the counter that hands pick-ups over among them", () => {
    expect(() => assertPermitted(staff("warehouse-clerk"), "submit-order")).toThrow(
      expect.objectContaining({
        code: "caller.not-permitted",
        message: "only an order taker or the store manager (or the customer online, or a marketplace on its own channel) may submit order; the caller is staff with role warehouse-clerk",
      }),
    );
    expect(permitted(staff("counter"), "submit-order")).toBe(false);
    expect(permitted({ kind: "customer", id: "anonymous", role: "customer" }, "submit-order")).toBe(true);
  });
});

describe("a person's worklist", () => {
  it("is their own to read, whatever their role; anyone else's is the dispatch desk's", () => {
    expect(taskListActionFor({ kind: "staff", id: "rider-7", role: "rider" }, "rider-7")).toBe("list-own-tasks");
    expect(taskListActionFor({ kind: "staff", id: "rider-8", role: "rider" }, "rider-7")).toBe("list-staff-tasks");
    expect(taskListActionFor({ kind: "staff", id: "d-1", role: "dispatcher" }, "rider-7")).toBe("list-staff-tasks");
    // Only staff have worklists: a customer or platform with the same id is not that person.
    expect(taskListActionFor({ kind: "customer", id: "rider-7", role: "customer" }, "rider-7")).toBe("list-staff-tasks");
    expect(() => assertPermitted({ kind: "staff", id: "rider-8", role: "rider" }, taskListActionFor({ kind: "staff", id: "rider-8", role: "rider" }, "rider-7"))).toThrow(ForbiddenError);
  });
});

describe("the list of after-sales cases", () => {
  it("is finance's to read only as the worklist of short refunds; the rest stays the after-sales desk's", () => {
    const financeClerk = { kind: "staff", id: "fin-1", role: "finance" } as const;
    expect(() => assertPermitted(financeClerk, caseListActionFor(true))).not.toThrow();
    expect(() => assertPermitted(financeClerk, caseListActionFor(false))).toThrow(ForbiddenError);
    expect(() => assertPermitted({ kind: "staff", id: "cs-1", role: "customer-service" }, caseListActionFor(true))).not.toThrow();
  });
});
