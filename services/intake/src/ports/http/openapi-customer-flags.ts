import { permissions } from "../../domain/permissions.ts";
import {
  CustomerFlagByContactSchema,
  CustomerFlagListSchema,
  CustomerFlagRemovalSchema,
  CustomerFlagSchema,
  CustomerFlagViewSchema,
  ListCustomerFlagsQuerySchema,
} from "./customer-flag-schemas.ts";
import { body, common, forbidden, json, jsonSchemaOf, ok, problem, queryParametersOf, ref, requestIdHeader } from "./openapi-parts.ts";

/** Request examples of the flagged-customer operations. */
export const customerFlagExamples = {
  byId: { reason: "Three refused deliveries in a month" },
  byContact: { phone: "+86 138 0013 8000", reason: "Paid twice with a card reported stolen" },
  removal: { phone: "+86 138 0013 8000" },
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
  };
}
