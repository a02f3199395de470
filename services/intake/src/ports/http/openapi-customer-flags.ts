import { permissions } from "../../domain/permissions.ts";
import {
  CustomerFlagByContactSchema,
  CustomerFlagListSchema,
  CustomerFlagRemovalSchema,
  CustomerFlagSchema,
  CustomerFlagViewSchema,
  ListCustomerFlagsQuerySchema,
} from "./customer-flag-schemas.ts";
import { CustomerFlagDisclosureListSchema, CustomerFlagDisclosureSearchSchema, CustomerFlagDisclosuresQuerySchema } from "./customer-flag-disclosure-schemas.ts";
import { ShowingsPageQuerySchema } from "./disclosure-schemas.ts";
import { body, common, forbidden, json, jsonSchemaOf, ok, problem, queryParametersOf, ref, requestIdHeader } from "./openapi-parts.ts";

/** Request examples of the flagged-customer operations. */
export const customerFlagExamples = {
  byId: { reason: "Three refused deliveries in a month" },
  byContact: { phone: "+86 138 0013 8000", reason: "Paid twice with a card reported stolen" },
  removal: { phone: "+86 138 0013 8000" },
  disclosureSearch: { phone: "+86 138 0013 8000", from: "2026-11-01T00:00:00+08:00", until: "2026-12-01T00:00:00+08:00" },
};

const disclosuresWho = `${permissions["list-customer-flag-disclosures"].who}, working chain-wide (the log names no store: a caller held to stores is refused 403 caller.chain-wide-only)`;
const disclosuresAnswer = {
  "200": ok("A page of the showings, oldest first; nextPageToken when there are more.", "CustomerFlagDisclosureList"),
  "403": forbidden(disclosuresWho),
};

const customerIdParameter = { name: "customerId", in: "path", required: true, schema: { type: "string", maxLength: 64 }, example: "c-42" };
const takesEffect = "The customer's next order goes to manual review (reason flagged-customer), on every intake instance within a second.";
const flagged = (description: string) => ({ description, headers: requestIdHeader, content: json(ref("FlaggedCustomer")) });

export function customerFlagPaths() {
  return {
    "/v1/customers/{customerId}/flag": {
      put: {
        operationId: "flagCustomer",
        summary: "Flag a customer by id: their orders go to manual review",
        description: `${takesEffect} Flagging again replaces the reason, who and when. Who: ${permissions["flag-customer"].who}.`,
        parameters: [customerIdParameter, ...common],
        requestBody: body("CustomerFlag", customerFlagExamples.byId),
        responses: {
          "201": flagged("Flagged."),
          "200": flagged("Was flagged already; the reason, who and when are replaced."),
          "400": problem("No reason given."),
          "403": forbidden(permissions["flag-customer"].who),
        },
      },
      delete: {
        operationId: "unflagCustomer",
        summary: "Lift a customer's flag",
        description: `Their next order goes on without a reviewer (unless it is large or doubtful). Who: ${permissions["unflag-customer"].who}.`,
        parameters: [customerIdParameter, ...common],
        responses: { "204": { description: "Lifted." }, "403": forbidden(permissions["unflag-customer"].who), "404": problem("The customer is not flagged.") },
      },
    },
    "/v1/customers/flags": {
      get: {
        operationId: "listFlaggedCustomers",
        summary: "The flagged customers, newest flag first, a page at a time",
        description:
          "Every flag of the chain is listed, whoever asks (orders at every store are matched against every flag). " +
          "Each flag by phone or e-mail shows the contact, opened from its seal, to staff working chain-wide, and to staff held to stores " +
          "when the flag was raised at one of their stores (raisedAtStore); of the others they see the flag with the contact masked " +
          "(contactMasked: a phone's last four digits, *******8000; an e-mail's domain, ***@example.cn), as they do of flags with no store " +
          "(raised by chain-wide staff, or before flags recorded a store). A page that shows any contact in full is logged as a showing " +
          `(who, role, when, request; never the contacts), as an order's contact is; masked ones are not. Answers are not cached. Who: ${permissions["list-flagged-customers"].who}.`,
        parameters: [...queryParametersOf(ListCustomerFlagsQuerySchema), ...common],
        responses: {
          "200": ok("A page of flags; nextPageToken when there are more.", "FlaggedCustomerList"),
          "400": problem("Wrong query, or a page token this list did not give."),
          "403": forbidden(permissions["list-flagged-customers"].who),
        },
      },
      post: {
        operationId: "flagCustomerByContact",
        summary: "Flag a customer by phone, e-mail or id (in the body)",
        description:
          "For customers known only by their contact: the phone (only its digits count, as in orders) or e-mail stays out of the URL, " +
          "and is stored only as a keyed digest (what orders are matched against) with the contact sealed beside it. " +
          `${takesEffect} Who: ${permissions["flag-customer"].who}.`,
        parameters: common,
        requestBody: body("CustomerFlagByContact", customerFlagExamples.byContact),
        responses: {
          "201": flagged("Flagged."),
          "200": flagged("Was flagged already; the reason, who and when are replaced."),
          "400": problem("No reason, none or more than one of customerId, phone and email, or an implausible phone or e-mail."),
          "403": forbidden(permissions["flag-customer"].who),
        },
      },
    },
    "/v1/customers/flags/disclosures": {
      get: {
        operationId: "listCustomerFlagDisclosures",
        summary: "Who was shown flagged customers' phones and e-mails, and when",
        description:
          "The append-only log of every listing of flagged customers that showed a contact in full (ADR 024): who, role, when, request, and the keys of the flags shown " +
          "(a customer id or a keyed digest; never the contacts). Oldest first, a page at a time. Narrowed to one flag (customerId, or customerKey as the flag list gives it) " +
          "and to a period (from, until). A flag lifted since keeps its showings; a key nobody ever flagged answers none. A flag by phone or e-mail is found under the digest " +
          "of the matching key in use: showings logged before the matching key was last rotated name the old digest and are found only by reading the period. " +
          `Reading the log is not a showing. Answers are not cached; no HEAD. Who: ${disclosuresWho}.`,
        parameters: [...queryParametersOf(CustomerFlagDisclosuresQuerySchema), ...common],
        responses: {
          ...disclosuresAnswer,
          "400": problem("customerId and customerKey both given, a customerKey that is not a flag's key, a from or until that is not RFC 3339, until not after from, a pageSize outside 1 to 1,000, or a pageToken this log did not give."),
        },
      },
    },
    "/v1/customers/flags/disclosures/search": {
      post: {
        operationId: "searchCustomerFlagDisclosures",
        summary: "Who was shown a flagged customer's phone or e-mail, the customer named in the body",
        description:
          "As GET /v1/customers/flags/disclosures for one flag, named by exactly one of customerId, phone or email in the body, so a contact stays out of the URL " +
          "(an access request names the customer's phone): digested under the current matching key, as the flag was. Paged by the query's pageSize and pageToken. " +
          `Who: ${disclosuresWho}.`,
        parameters: [...queryParametersOf(ShowingsPageQuerySchema), ...common],
        requestBody: body("CustomerFlagDisclosureSearch", customerFlagExamples.disclosureSearch),
        responses: {
          ...disclosuresAnswer,
          "400": problem("None or more than one of customerId, phone and email, an implausible phone or e-mail, until not after from, or a wrong pageSize or pageToken."),
        },
      },
    },
    "/v1/customers/flags/removal": {
      post: {
        operationId: "unflagCustomerByContact",
        summary: "Lift the flag of a customer named by phone, e-mail or id (in the body)",
        description: `Who: ${permissions["unflag-customer"].who}.`,
        parameters: common,
        requestBody: body("CustomerFlagRemoval", customerFlagExamples.removal),
        responses: {
          "204": { description: "Lifted." },
          "400": problem("None or more than one of customerId, phone and email, or an implausible phone or e-mail."),
          "403": forbidden(permissions["unflag-customer"].who),
          "404": problem("The customer is not flagged."),
        },
      },
    },
  };
}

export function customerFlagSchemas() {
  return {
    CustomerFlag: jsonSchemaOf(CustomerFlagSchema, "input"),
    CustomerFlagByContact: jsonSchemaOf(CustomerFlagByContactSchema, "input"),
    CustomerFlagRemoval: jsonSchemaOf(CustomerFlagRemovalSchema, "input"),
    FlaggedCustomer: jsonSchemaOf(CustomerFlagViewSchema, "output"),
    FlaggedCustomerList: jsonSchemaOf(CustomerFlagListSchema, "output"),
    CustomerFlagDisclosureSearch: jsonSchemaOf(CustomerFlagDisclosureSearchSchema, "input"),
    CustomerFlagDisclosureList: jsonSchemaOf(CustomerFlagDisclosureListSchema, "output"),
  };
}
