import { permissions } from "../../domain/permissions.ts";
import { ContactDisclosureListSchema, OrderContactSchema } from "./contact-schemas.ts";
import { ShowingsPageQuerySchema } from "./disclosure-schemas.ts";
import { forbidden, jsonSchemaOf, ok, orderParameters, problem, queryParametersOf } from "./openapi-parts.ts";

export function contactPaths() {
  return {
    "/v1/orders/{orderId}/contact": {
      get: {
        operationId: "showOrderContact",
        summary: "How to reach the order's customer: name, phone, e-mail, address",
        description:
          "The contact is sealed at rest and on the event topics (ADR 024); it is opened here for those whose work reaches the customer, " +
          "and each showing is logged (who, role, when, request) in the same transaction, or not given. A customer is shown their own order's only. " +
          `Sent with Cache-Control: no-store. Who: ${permissions["view-contact"].who}.`,
        parameters: orderParameters,
        responses: {
          "200": ok("The contact; this showing is logged.", "OrderContact"),
          "403": forbidden(permissions["view-contact"].who),
          "404": problem("No such order, or (to a customer) another customer's, answered alike."),
        },
      },
    },
    "/v1/orders/{orderId}/contact-disclosures": {
      get: {
        operationId: "listContactDisclosures",
        summary: "Who was shown the order's customer contact, and when",
        description: `The append-only log of every showing, oldest first, a page at a time (nextPageToken continues it, absent on the last page); never the contact itself. Who: ${permissions["list-contact-disclosures"].who}.`,
        parameters: [...orderParameters, ...queryParametersOf(ShowingsPageQuerySchema)],
        responses: {
          "200": ok("A page of the showings.", "ContactDisclosureList"),
          "400": problem("A pageSize outside 1 to 1,000, or a pageToken this log did not give."),
          "403": forbidden(permissions["list-contact-disclosures"].who),
          "404": problem("No such order."),
        },
      },
    },
  };
}

export const contactSchemas = () => ({
  OrderContact: jsonSchemaOf(OrderContactSchema, "output"),
  ContactDisclosureList: jsonSchemaOf(ContactDisclosureListSchema, "output"),
});
