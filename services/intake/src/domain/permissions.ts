import type { Actor } from "@oms/contracts";
import { ForbiddenError } from "@oms/errors";
import { gatewayActions, type GatewayAction } from "./gateway-actions.ts";
import { anonymousCustomerId } from "./callers-orders.ts";

export { gatewayActions, type GatewayAction };

/**
 * Who may take which step of an order's life through the gateway (DOMAIN.md, "Who uses
 * it"; least privilege). The owning services keep their own rules on top: this table is
 * what the gateway lets through, so a caller without the role is refused before anyone
 * is asked. One table, so the policy can be read (and changed) in one place.
 */

interface Permission {
  /** Who may, as the refusal tells the caller. */
  who: string;
  allows(caller: Actor): boolean;
}

const staffWithRole = (...roles: string[]) => (caller: Actor) =>
  caller.kind === "staff" && roles.includes(caller.role);
const anyStaff = (caller: Actor) => caller.kind === "staff";

const warehouseClerk: Permission = { who: "a warehouse clerk", allows: staffWithRole("warehouse-clerk") };
// An order taker answers for a customer who tells them on the phone or at the counter.
const customerOrTheirOrderTaker: Permission = {
  who: "the customer (or an order taker on their behalf)",
  allows: (caller) => caller.kind === "customer" || staffWithRole("order-taker")(caller),
};
const finance: Permission = { who: "a finance clerk", allows: staffWithRole("finance") };
// Important and doubtful orders wait for a person whose job is to judge them (DOMAIN.md, reviewer).
// A correction is approved by someone above the order taker: a supervisor or the store manager.
const supervisor: Permission = { who: "a supervisor or the store manager", allows: staffWithRole("supervisor", "store-manager") };
const reviewer: Permission = { who: "a reviewer", allows: staffWithRole("reviewer") };
// The people tasks are given to (DOMAIN.md: service staff / rider / business owner; the counter hands over pick-ups).
const fieldStaff: Permission = { who: "a rider, the service staff, the business owner or the counter", allows: staffWithRole("rider", "service-staff", "business-owner", "counter") };
const serviceStaff: Permission = { who: "the service staff or the business owner", allows: staffWithRole("service-staff", "business-owner") };
// Who sends a customer's orders to manual review: the reviewer who judges them, or the store manager.
const reviewerOrStoreManager: Permission = { who: "a reviewer or the store manager", allows: staffWithRole("reviewer", "store-manager") };
// DOMAIN.md: the dispatcher / order-processing desk coordinates the store's tasks; the store manager and a supervisor oversee them.
const dispatchDesk: Permission = { who: "a dispatcher, the store manager or a supervisor", allows: staffWithRole("dispatcher", "store-manager", "supervisor") };
// DOMAIN.md, Supervision and KPIs: the store manager and auditors (a supervisor watches timeliness too).
const kpiReader: Permission = { who: "the store manager, a supervisor or an auditor", allows: staffWithRole("store-manager", "supervisor", "auditor") };
// DOMAIN.md, Archive: staff whose work needs an order's records (complaints, disputes, settlement, supervision, audit).
const dossierReader: Permission = {
  who: "a customer-service agent, an auditor, the store manager, a finance clerk or a supervisor",
  allows: staffWithRole("customer-service", "auditor", "store-manager", "finance", "supervisor"),
};
// DOMAIN.md, Archive: access to a dossier is approved, and who looked is read, by the store manager or an auditor.
const auditorOrStoreManager: Permission = { who: "an auditor or the store manager", allows: staffWithRole("auditor", "store-manager") };
const auditor: Permission = { who: "an auditor", allows: staffWithRole("auditor") };
// Who takes after-sales cases on, decides and answers them.
export const afterSalesDeskRoles: readonly string[] = ["customer-service", "supervisor", "store-manager"];
const afterSalesDesk = afterSalesDeskRoles;

export const permissions: Record<GatewayAction, Permission> = {
  // DOMAIN.md: the order takers (at the counter, on the phone, by e-mail, online customer service) record
  // orders, and the store manager answers for the store; no other staff role takes orders (the counter
  // role hands pick-ups over, customer service records change requests and complaints). Customers order
  // for themselves online and marketplaces push their own: callers-orders.ts holds each to their channels.
  "submit-order": {
    who: "an order taker or the store manager (or the customer online, or a marketplace on its own channel)",
    allows: (caller) => caller.kind === "customer" || caller.kind === "platform" || staffWithRole("order-taker", "store-manager")(caller),
  },
  // DOMAIN.md, Confirmation: the order is confirmed with the customer — their own word online or through their
  // marketplace, or given to the desk that speaks for them (order takers, customer service, the store manager, as
  // fulfillment lets them cancel for the customer); clerks, riders, finance, reviewers and auditors do not speak for them.
  "confirm-order": {
    who: "the customer (online or through their marketplace), or an order taker, a customer-service agent or the store manager with the customer",
    allows: (caller) => caller.kind === "customer" || caller.kind === "platform" || staffWithRole("order-taker", "customer-service", "store-manager")(caller),
  },
  // The same desk cancels for the customer (fulfillment's own rule, decide.ts): checked here too, so staff of
  // another role are refused before the order is looked up, alike for one that exists and one nobody placed.
  "cancel-order": {
    who: "the customer (online or through their marketplace), or an order taker, a customer-service agent or the store manager for them",
    allows: (caller) => caller.kind === "customer" || caller.kind === "platform" || staffWithRole("order-taker", "customer-service", "store-manager")(caller),
  },
  "record-delivery": {
    who: "the rider, the service staff or the business owner who delivered, the counter staff who handed it over, the store manager (or the marketplace the order came in on)",
    // Counter staff and order takers hand pick-up orders over at the counter, against the customer's code.
    // A platform's token is a marketplace's (the only platforms intake knows): it reports the delivery of its
    // own orders only, which the route checks order by order (callerReachesOrder; ADR 022, twenty-sixth session).
    // Fulfillment holds riders, service staff and business owners to the orders dispatch gave them, and lets the
    // store manager record on anyone's behalf (deliverers.ts; ADR 022, twenty-seventh session, second reading).
    allows: (caller) => caller.kind === "platform" || staffWithRole("rider", "service-staff", "business-owner", "counter", "order-taker", "store-manager")(caller),
  },
  "accept-delivery": customerOrTheirOrderTaker,
  "reject-delivery": customerOrTheirOrderTaker,
  "close-order": finance,
  "confirm-payment": finance,
  // DOMAIN.md: customers of poor credit prepay or pay on delivery; finance grants credit.
  "decide-credit": finance,
  "view-settlement": { who: "the store's staff", allows: anyStaff },
  // A customer-service agent answers the customer's "where is my refund?".
  "list-refunds": { who: "a finance clerk or a customer-service agent", allows: staffWithRole("finance", "customer-service") },
  "issue-refund": finance,
  // DOMAIN.md, Settlement: finance issues invoices, the store manager and auditors check them, customer service
  // answers "send me my invoice"; a customer reads their own order's (the query checks the order is theirs).
  "list-invoices": {
    who: "a finance clerk, the store manager, an auditor, a customer-service agent, or the customer whose order it is",
    allows: (caller) => caller.kind === "customer" || staffWithRole("finance", "store-manager", "auditor", "customer-service")(caller),
  },
  // A store's invoice register is its books: those who keep and check them, not the desk answering one customer.
  "view-invoice-register": { who: "a finance clerk, the store manager or an auditor", allows: staffWithRole("finance", "store-manager", "auditor") },
  // DOMAIN.md, Credit: finance assesses a customer's credit (good: a limit and terms; poor: prepay or pay on delivery).
  "assess-credit": finance,
  // Finance weighs it, the store manager and auditors check it, customer service answers "why is my order on hold?".
  // A customer does not read it: the assessment's reasons are the store's judgement of them, not their record.
  "view-credit": {
    who: "a finance clerk, the store manager, an auditor or a customer-service agent",
    allows: staffWithRole("finance", "store-manager", "auditor", "customer-service"),
  },
  // DOMAIN.md, Settlement: finance reconciles its data against the order data and explains every difference (ADR 023);
  // auditors check that it did. The store manager reads the invoice register, not finance's working papers.
  "run-reconciliation": finance,
  "explain-reconciliation-difference": finance,
  "view-reconciliations": { who: "a finance clerk or an auditor", allows: staffWithRole("finance", "auditor") },
  // DOMAIN.md, Settlement: disputes are handled with the departments involved (ADR 026). The customer disputes their own
  // order's money (the route checks it is theirs), customer service for them, finance or the store manager; finance resolves.
  "open-settlement-dispute": {
    who: "the customer whose order it is, a customer-service agent, a finance clerk or the store manager",
    allows: (caller) => caller.kind === "customer" || staffWithRole("customer-service", "finance", "store-manager")(caller),
  },
  "view-settlement-disputes": {
    who: "the customer whose order it is, a customer-service agent, a finance clerk, the store manager or an auditor",
    allows: (caller) => caller.kind === "customer" || staffWithRole("customer-service", "finance", "store-manager", "auditor")(caller),
  },
  "list-store-settlement-disputes": { who: "a finance clerk, the store manager or an auditor", allows: staffWithRole("finance", "store-manager", "auditor") },
  // The departments a dispute is routed to: billing checks the caller's is one of this dispute's.
  "add-dispute-finding": {
    who: "staff of a department involved: a finance clerk, a warehouse clerk, a rider, a dispatcher, the store manager, a supervisor or a customer-service agent",
    allows: staffWithRole("finance", "warehouse-clerk", "rider", "dispatcher", "store-manager", "supervisor", "customer-service"),
  },
  "resolve-settlement-dispute": finance,
  "list-orders": { who: "the store's staff", allows: anyStaff },
  "pick-reservation": warehouseClerk,
  "pack-reservation": warehouseClerk,
  "ship-reservation": warehouseClerk,
  "view-stock": { who: "the store's staff", allows: anyStaff },
  "view-pick-list": { who: "a warehouse clerk or the store manager", allows: staffWithRole("warehouse-clerk", "store-manager") },
  // The warehouse warns the clerks of a late step and escalates it to the store manager; a supervisor
  // watches timeliness too, as with dispatch's overdue steps.
  "list-overdue-shipments": {
    who: "a warehouse clerk, the store manager or a supervisor",
    allows: staffWithRole("warehouse-clerk", "store-manager", "supervisor"),
  },
  "count-stock": warehouseClerk,
  "receive-stock": warehouseClerk,
  "record-expected-restock": { who: "a warehouse clerk or the store manager of that store", allows: staffWithRole("warehouse-clerk", "store-manager") },
  // Those who record the dates chase the ones that passed (ADR 030's second addendum), and only they may record anew or clear.
  "list-expected-restocks": { who: "a warehouse clerk or the store manager of that store", allows: staffWithRole("warehouse-clerk", "store-manager") },
  // ADR 021: the clerks receive and inspect returned goods; the store manager oversees what the store still waits for.
  "list-expected-returns": { who: "a warehouse clerk or the store manager", allows: staffWithRole("warehouse-clerk", "store-manager") },
  // Writing off what came back damaged is the inspection's outcome, recorded with its cause, as a goods receipt is the clerk's.
  "receive-return": { who: "a warehouse clerk or the store manager", allows: staffWithRole("warehouse-clerk", "store-manager") },
  // Saying a return's goods will not come (the customer kept them, the parcel was lost), or an exchange's replacement will not go
  // (ADR 030), settles the case's goods: the desk that decides the case does it, not the clerks (DOMAIN.md: clerks raise exceptions).
  "call-off-return": { who: "a customer-service agent, a supervisor or the store manager", allows: staffWithRole(...afterSalesDesk) },
  "list-replacements": { who: "a warehouse clerk or the store manager", allows: staffWithRole("warehouse-clerk", "store-manager") },
  // A replacement's pick and pack (ADR 030's seventh addendum) are the clerks' as an order's are, before the shipment.
  "pick-replacement": warehouseClerk,
  "pack-replacement": warehouseClerk,
  "ship-replacement": warehouseClerk,
  "call-off-replacement": { who: "a customer-service agent, a supervisor or the store manager", allows: staffWithRole(...afterSalesDesk) },
  // Sending a waiting replacement from another store (ADR 030's third addendum) is the same desk's call: it decides where the
  // customer's goods come from, as it decides whether they come; the clerks ship what their list shows.
  "move-replacement": { who: "a customer-service agent, a supervisor or the store manager", allows: staffWithRole(...afterSalesDesk) },
  // Which stores have a SKU (ADR 030's third addendum): the desk looks for a store to send a waiting replacement from, wherever
  // it works; other staff only when working chain-wide (warehouse-routes.ts checks), since a store's own staff read their stock.
  "view-stock-availability": { who: "a customer-service agent, a supervisor or the store manager, or staff working chain-wide", allows: anyStaff },
  "list-reviews": reviewer,
  "approve-review": reviewer,
  "reject-review": reviewer,
  // DOMAIN.md: order takers (and customer-service agents, who record change requests) may not change an order themselves.
  "request-correction": { who: "an order taker or a customer-service agent", allows: staffWithRole("order-taker", "customer-service") },
  "decide-correction": supervisor,
  // A correction shows the customer's contact as asked and as it was, opened (ADR 024): for those who request
  // corrections and decide them only, not any of the store's staff (ADR 022, twenty-fifth-session addendum).
  "list-corrections": {
    who: "an order taker, a customer-service agent, a supervisor or the store manager",
    allows: staffWithRole("order-taker", "customer-service", "supervisor", "store-manager"),
  },
  "answer-shortage": customerOrTheirOrderTaker,
  // DOMAIN.md: a warehouse clerk may not resolve exceptions (damage) on their own: they raise them.
  "reject-reservation": { who: "the store manager", allows: staffWithRole("store-manager") },
  "report-shipment-exception": { who: "a warehouse clerk or the store manager", allows: staffWithRole("warehouse-clerk", "store-manager") },
  "flag-customer": reviewerOrStoreManager,
  "unflag-customer": reviewerOrStoreManager,
  "list-flagged-customers": reviewerOrStoreManager,
  // Dispatch shows a task only to its assignee and the desk that manages the store's tasks (task-readers.ts);
  // the gateway lets any staff through to it, since only dispatch knows who holds the task.
  "view-task": { who: "the store's staff", allows: anyStaff },
  // Any staff member's own worklist (taskListActionFor picks this row only when the caller asks for their own).
  "list-own-tasks": { who: "the person themself", allows: anyStaff },
  "list-staff-tasks": dispatchDesk,
  "list-store-tasks": dispatchDesk,
  "view-workload": dispatchDesk,
  "list-overdue-steps": dispatchDesk,
  "view-kpis": kpiReader,
  "acknowledge-task": fieldStaff,
  "decline-task": fieldStaff,
  "confirm-appointment": serviceStaff,
  "check-in": serviceStaff,
  "write-service-record": serviceStaff,
  "submit-service-report": serviceStaff,
  "report-service-exception": serviceStaff,
  // A visit is moved by its assignee, or by the desk that coordinates problems with the customer.
  "reschedule-visit": {
    who: "the service staff, the business owner, a dispatcher, the store manager or a customer-service agent",
    allows: staffWithRole("service-staff", "business-owner", "dispatcher", "store-manager", "customer-service"),
  },
  // Order takers and customer-service agents agree a visit's time with the customer; the desk looks for room too.
  "find-free-windows": {
    who: "an order taker, a customer-service agent or a dispatcher",
    allows: staffWithRole("order-taker", "customer-service", "dispatcher"),
  },
  "book-service-window": { who: "an order taker or a customer-service agent", allows: staffWithRole("order-taker", "customer-service") },
  "manage-staff": { who: "a dispatcher or the store manager", allows: staffWithRole("dispatcher", "store-manager") },
  "set-dispatch-settings": { who: "the store manager", allows: staffWithRole("store-manager") },
  // The archive answers only the asker's own approved request, and never lets anyone decide on their own.
  "request-dossier-access": dossierReader,
  // DOMAIN.md, Information security: least privilege. Whose work reaches the customer sees how to:
  // the order desk and customer service call them, a reviewer checks a doubtful order with them,
  // the clerk prints the label, the rider and service staff go to the door, finance sends the
  // settlement notice; the customer sees their own. Dispatchers and auditors do not need it.
  "view-contact": {
    who: "the customer whose order it is, an order taker, customer service, a reviewer, a supervisor, the store manager, a warehouse clerk, a rider, the service staff, the business owner, the counter or a finance clerk",
    allows: (caller) =>
      caller.kind === "customer" ||
      staffWithRole("order-taker", "customer-service", "reviewer", "supervisor", "store-manager", "warehouse-clerk", "rider", "service-staff", "business-owner", "counter", "finance")(caller),
  },
  // Who was shown a contact is read by those who answer for it, as the dossier's access log is.
  "list-contact-disclosures": auditorOrStoreManager,
  // Who was shown a case's description or a dispute's statement (the customer's own words, sealed:
  // ADR 017's and ADR 026's showings addenda): the same readers as the contacts' log, kept as actions
  // of their own so either can change without the others.
  "list-case-disclosures": auditorOrStoreManager,
  "list-dispute-disclosures": auditorOrStoreManager,
  // Who was shown flagged customers' contacts (ADR 024, twenty-fourth-session addendum): the same
  // readers, working chain-wide only (the route says so), since the log names no store.
  "list-customer-flag-disclosures": auditorOrStoreManager,
  "view-dossier": dossierReader,
  "decide-dossier-access": auditorOrStoreManager,
  "list-dossier-access": auditorOrStoreManager,
  // ADR 029: auditors keep the archive's retention; only one working chain-wide disposes (dossier-retention-routes.ts checks).
  "list-dossier-retention": auditor,
  "hold-dossier": auditor,
  "dispose-dossiers": { who: "an auditor working chain-wide", allows: staffWithRole("auditor") },
  "list-dossier-disposals": auditor,
  // DOMAIN.md, After-sales (ADR 017): customers ask, customer service records calls and decides,
  // the store manager publishes the policy and, with supervisors and auditors, reads the report.
  "set-after-sales-policy": { who: "the store manager", allows: staffWithRole("store-manager") },
  "open-after-sales-case": {
    who: "the customer, or a customer-service agent, an order taker, a supervisor or the store manager on their behalf",
    allows: (caller) => caller.kind === "customer" || staffWithRole(...afterSalesDesk, "order-taker")(caller),
  },
  "list-after-sales-cases": { who: "a customer-service agent, a supervisor or the store manager", allows: staffWithRole(...afterSalesDesk) },
  // Cases whose refund fell short (ADR 017, addendum): the desk that promised the money, and finance who settles the rest by hand.
  "list-refund-shortfall-cases": {
    who: "a customer-service agent, a supervisor, the store manager or a finance clerk",
    allows: staffWithRole(...afterSalesDesk, "finance"),
  },
  // Finance pays the rest of a short refund by hand and says so on the case (ADR 017, addendum).
  "settle-refund-shortfall": finance,
  // Damage the carrier caused is claimed back from it (ADR 017, carrier-claim addendum): the desk that resolved the case
  // files the claim; the carrier's answer is recorded by the desk or by finance, who see the money arrive.
  "file-carrier-claim": { who: "a customer-service agent, a supervisor or the store manager", allows: staffWithRole(...afterSalesDesk) },
  "answer-carrier-claim": {
    who: "a customer-service agent, a supervisor, the store manager or a finance clerk",
    allows: staffWithRole(...afterSalesDesk, "finance"),
  },
  // Those who record the carrier's answer chase the claims it has not answered (no customer's words on the list).
  "list-carrier-claims": {
    who: "a customer-service agent, a supervisor, the store manager or a finance clerk",
    allows: staffWithRole(...afterSalesDesk, "finance"),
  },
  // Money a carrier agreed to pay on a settled claim is billing's (ADR 017, second carrier addendum): finance books
  // what arrives, as it confirms a customer's payment, and chases what is owed; auditors check it.
  "record-carrier-receipt": finance,
  // A receipt booked in error is reversed by finance too, as it was booked (ADR 017, third carrier addendum).
  "reverse-carrier-receipt": finance,
  // One carrier transfer paying several claims is booked by finance, as each of its receipts would be (ADR 017, twenty-fifth session).
  "record-carrier-remittance": finance,
  // A remittance is read back by those who read what carriers owe, and reversed whole by finance, who booked it (ADR 017, twenty-sixth session).
  "read-carrier-remittance": { who: "a finance clerk or an auditor", allows: staffWithRole("finance", "auditor") },
  "reverse-carrier-remittance": finance,
  "list-carrier-recoveries": { who: "a finance clerk or an auditor", allows: staffWithRole("finance", "auditor") },
  // After-sales' own answer decides whose case a customer may read (the gateway checks the order is theirs).
  "view-after-sales-case": {
    who: "the customer whose order it is, a customer-service agent, a supervisor or the store manager",
    allows: (caller) => caller.kind === "customer" || staffWithRole(...afterSalesDesk)(caller),
  },
  "decide-after-sales-case": { who: "a customer-service agent, a supervisor or the store manager", allows: staffWithRole(...afterSalesDesk) },
  // A repair the customer says did not fix it goes back for rework (ADR 025, rework addendum): the customer, on their own
  // case (the route checks it), or the desk recording it for them.
  "reject-after-sales-visit": {
    who: "the customer whose order it is, or a customer-service agent, a supervisor or the store manager on their behalf",
    allows: (caller) => (caller.kind === "customer" && caller.id !== anonymousCustomerId) || staffWithRole(...afterSalesDesk)(caller),
  },
  "view-after-sales-report": { who: "the store manager, a supervisor or an auditor", allows: staffWithRole("store-manager", "supervisor", "auditor") },
  // The customer tracks their own orders (the route refuses another customer's); staff answering them look them up.
  "list-customer-orders": {
    who: "the customer themself, a customer-service agent, an order taker, a supervisor or the store manager",
    allows: (caller) => (caller.kind === "customer" && caller.id !== anonymousCustomerId) || staffWithRole(...afterSalesDesk, "order-taker")(caller),
  },
  // DOMAIN.md: customer service's follow-ups and satisfaction surveys; the customer answers online.
  "record-satisfaction": {
    who: "the customer, or a customer-service agent, an order taker, a supervisor or the store manager after a follow-up call",
    allows: (caller) => caller.kind === "customer" || staffWithRole(...afterSalesDesk, "order-taker")(caller),
  },
  // DOMAIN.md, force majeure (ADR 027): the store manager (or a supervisor) declares and lifts it for the store;
  // the staff who talk to customers read it and record each customer's choice.
  "declare-force-majeure": supervisor,
  "lift-force-majeure": supervisor,
  "view-force-majeure": {
    who: "the store manager, a supervisor, an order taker, customer service or a dispatcher",
    allows: staffWithRole("store-manager", "supervisor", "order-taker", "customer-service", "dispatcher"),
  },
  "record-force-majeure-choice": { who: "an order taker, customer service or the store manager", allows: staffWithRole("order-taker", "customer-service", "store-manager") },
  // ADR 022, withdrawing tokens: whose tokens each may withdraw is domain/token-revocation.ts's finer rule.
  "revoke-tokens": {
    who: "a member of staff (their own), the store manager (their stores' staff; customers' and platforms' chain-wide) or an auditor (customers' and platforms', chain-wide)",
    allows: anyStaff,
  },
  "list-token-revocations": auditorOrStoreManager,
  // ADR 028: what a store publishes is anyone's to read; its internal policy (review thresholds, routing,
  // capacity, deadlines) is for those who run and check it. The store manager publishes it (a new store,
  // and the chain's one price list, only from head office: a chain-wide token, which catalogue-routes.ts checks).
  "view-store-profile": kpiReader,
  "publish-store-profile": { who: "the store manager", allows: staffWithRole("store-manager") },
  "publish-price-list-item": { who: "a store manager working chain-wide (head office)", allows: staffWithRole("store-manager") },
  "withdraw-price-list-item": { who: "a store manager working chain-wide (head office)", allows: staffWithRole("store-manager") },
  // A store's own prices, set and removed (ADR 028, addendum): the store scope holds a scoped manager to their stores.
  "set-store-price": { who: "the store manager of that store, or one working chain-wide (head office)", allows: staffWithRole("store-manager") },
  "list-withdrawn-items": { who: "the chain's staff", allows: anyStaff },
  // Who changed the catalogue, from what to what: the auditors who check it and the store managers who make it.
  "list-catalogue-changes": auditorOrStoreManager,
  // Marketplaces' settings (ADR 028, addendum) are head office's: read by those who make and check
  // them, changed by a store manager, both working chain-wide (which platform-routes.ts checks).
  "view-platform-settings": { who: "an auditor or a store manager working chain-wide", allows: staffWithRole("auditor", "store-manager") },
  "publish-platform-settings": { who: "a store manager working chain-wide (head office)", allows: staffWithRole("store-manager") },
};

/** Refuses a caller the table does not let take the step, naming who may. */
export function assertPermitted(caller: Actor, action: GatewayAction): void {
  const permission = permissions[action];
  if (permission.allows(caller)) return;
  const as = caller.kind === "staff" ? `staff with role ${caller.role}` : caller.kind;
  throw new ForbiddenError("caller.not-permitted", `only ${permission.who} may ${action.replace(/-/g, " ")}; the caller is ${as}`);
}

/** The list of cases asked for: only short refunds is a worklist finance reads too; any other is the after-sales desk's. */
export function caseListActionFor(refundShortfallOnly: boolean): "list-after-sales-cases" | "list-refund-shortfall-cases" {
  return refundShortfallOnly ? "list-refund-shortfall-cases" : "list-after-sales-cases";
}

/** A person's worklist: their own is theirs to read; anyone else's is the dispatch desk's. */
export function taskListActionFor(caller: Actor, staffId: string): "list-own-tasks" | "list-staff-tasks" {
  return caller.kind === "staff" && caller.id === staffId ? "list-own-tasks" : "list-staff-tasks";
}
