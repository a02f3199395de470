import type { events } from "@oms/contracts";
import { contactDisclosureRepository } from "../../adapters/pg/contact-disclosure-repository.ts";
import { withContact } from "../../domain/contact.ts";
import { actorLabel, type RequestContext } from "../request-context.ts";
import type { ContactDeps } from "./show-order-contact.ts";

interface DossierRecordJson {
  eventId: string;
  payload: Record<string, unknown>;
}

/**
 * The dossier an approved reader views, with the customer's contact opened in the records
 * that carry it sealed (OrderReceived, OrderCorrected: ADR 024): the archive files it sealed
 * and cannot open it, intake can. The reader was approved and the archive logged the viewing;
 * intake logs the showing of the contact too. A contact that cannot be opened stays sealed,
 * with the reason beside it, and the rest is shown.
 */
export async function withContactsOpened<D extends { orderId: string; records: DossierRecordJson[] }>(deps: ContactDeps, context: RequestContext, dossier: D): Promise<D> {
  let opened = 0;
  const records = dossier.records.map((record) => {
    const order = record.payload.order as (Record<string, unknown> & { orderId?: string; sealedContact?: string }) | undefined;
    if (typeof order?.sealedContact !== "string" || order.sealedContact === "") return record;
    const { sealedContact, ...rest } = order;
    const sealed = { ...(rest as unknown as events.CanonicalOrder), orderId: order.orderId ?? dossier.orderId, sealedContact: Buffer.from(sealedContact, "base64") };
    try {
      const whole = withContact(sealed, deps.contacts.contactOf(sealed));
      opened++;
      const { sealedContact: _opened, ...shown } = whole;
      return { ...record, payload: { ...record.payload, order: shown } };
    } catch (error) {
      return { ...record, payload: { ...record.payload, contactUnreadable: (error as { code?: string }).code ?? "sealing.unreadable" } };
    }
  });
  if (opened > 0) {
    const { caller } = context;
    await contactDisclosureRepository.record(deps.pool, { orderId: dossier.orderId, shownTo: actorLabel(caller), role: caller.role, correlationId: context.correlationId });
  }
  return { ...dossier, records };
}
