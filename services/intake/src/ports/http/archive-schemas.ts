import { z } from "zod";
import { optionalText, text } from "./schema-primitives.ts";

/** Paths, bodies and answers of access to an order's archived dossier (asked, decided, viewed, audited). */

// The archive's own bounds: an id of at most 200 characters, a reason or note of at most 500.
const accessRequestId = text(200);
const note = (description: string) => text(500).meta({ description });

export const AccessRequestIdParamsSchema = z.strictObject({ requestId: accessRequestId });

export const DossierAccessRequestSchema = z
  .strictObject({
    requestId: accessRequestId.meta({
      description:
        "Your own id of this request, unique in the archive: a retry with the same id asks nothing more and answers the request as it now stands; " +
        "the same id for another order, asker or reason is refused (409).",
    }),
    reason: note("Why the dossier is needed (a complaint, a dispute, an audit); kept with the request and shown to whoever decides."),
  })
  .meta({ title: "DossierAccessRequest" });

export const DossierAccessApprovalSchema = z
  .strictObject({ note: optionalText(500) })
  .meta({ title: "DossierAccessApproval", description: "The body is optional." });

export const DossierAccessRejectionSchema = z
  .strictObject({ note: note("Why the request is refused; the asker reads it.") })
  .meta({ title: "DossierAccessRejection" });

export const DossierQuerySchema = z.strictObject({
  requestId: accessRequestId.meta({ description: "The approved access request the viewing rests on: the caller's own, before its validUntil." }),
});

export const AccessRequestViewSchema = z
  .object({
    requestId: z.string(),
    orderId: z.string(),
    status: z.enum(["pending", "approved", "refused"]),
    requestedBy: z.string().meta({ description: '"kind:id" of who asked.' }),
    requesterRole: z.string(),
    reason: z.string(),
    requestedAt: z.string(),
    decidedBy: z.string().meta({ description: '"kind:id" of who decided; empty while pending.' }),
    decidedAt: z.string(),
    note: z.string(),
    validUntil: z.string().meta({ description: "Once approved: the asker may view the dossier until then; empty otherwise." }),
  })
  .meta({ title: "DossierAccessRequestView", description: "A request to view an order's dossier, with its decision." });

export const DossierViewSchema = z
  .object({
    orderId: z.string(),
    storeId: z.string(),
    viewingId: z.string().meta({ description: "The access log's entry of this viewing." }),
    records: z
      .array(
        z.object({
          eventId: z.string(),
          eventType: z.string(),
          producer: z.string(),
          occurredAt: z.string(),
          actor: z.string().meta({ description: '"kind:id" of who caused the event.' }),
          payload: z.record(z.string(), z.unknown()).meta({
            description: "The event's content as its contract's JSON; for a type newer than the archive, {unknownEventType, payloadBase64}.",
          }),
        }),
      )
      .meta({ description: "Every event filed for the order, in the order they happened." }),
  })
  .meta({ title: "Dossier", description: "What an order's dossier holds; this answer is itself logged as a viewing." });

export const DossierAccessHistorySchema = z
  .object({
    orderId: z.string(),
    requests: z.array(AccessRequestViewSchema),
    viewings: z.array(
      z.object({
        viewingId: z.string(),
        requestId: z.string(),
        viewer: z.string().meta({ description: '"kind:id" of who viewed.' }),
        viewedAt: z.string(),
        records: z.int().meta({ description: "How many events the viewing showed." }),
      }),
    ),
  })
  .meta({ title: "DossierAccessHistory", description: "Who asked to view an order's dossier, who decided, and every viewing." });
