import type pg from "pg";
import type { warehouseApi } from "@oms/contracts";
import { ValidationError, type FieldError } from "@oms/errors";
import { replacementDeadlineRepository } from "../../adapters/pg/replacement-deadline-repository.ts";
import { stepDeadlineRepository } from "../../adapters/pg/step-deadline-repository.ts";
import { nextOverduePageToken, overduePageOf, type OverduePosition } from "./clerk-list-pages.ts";

/** The merged list's order: the deadline (to the microsecond), then the id and the step as Postgres' "C" collation compares them. */
const byPosition = ({ position: a }: { position: OverduePosition }, { position: b }: { position: OverduePosition }) => {
  const [at, bt] = [BigInt(a.dueAtMicros), BigInt(b.dueAtMicros)];
  if (at !== bt) return at < bt ? -1 : 1;
  return a.id < b.id ? -1 : a.id > b.id ? 1 : a.step < b.step ? -1 : a.step > b.step ? 1 : 0;
};

/**
 * The store's shipments past a step's deadline and still not through it (the clerks' and
 * the store manager's screen), the oldest deadline first: which step each waits for, since
 * when, and whether it was escalated. A step leaves the list when it is done, or when the
 * reservation is released. Exchanges' replacements not shipped by their deadline are listed
 * beside them (caseId set, reservationId ""), merged by deadline. A page at a time
 * (`nextPageToken` continues it, "" on the last page): each source is read after the page's
 * position, one more than the page, and the merge keeps the page's first.
 */
export async function listOverdueShipments(pool: pg.Pool, request: warehouseApi.ListOverdueShipmentsRequest): Promise<warehouseApi.ListOverdueShipmentsResponse> {
  const errors: FieldError[] = [];
  if (!request.storeId) errors.push({ field: "storeId", message: "is required" });
  const page = overduePageOf(request, errors);
  if (errors.length > 0) throw new ValidationError(errors);
  const read = { size: page.size + 1, after: page.after };
  const [steps, replacements] = await Promise.all([stepDeadlineRepository.overdueOfStore(pool, request.storeId, read), replacementDeadlineRepository.overdueOfStore(pool, request.storeId, read)]);
  const late: (warehouseApi.OverdueShipment & { position: OverduePosition })[] = [
    ...steps.map((s) => ({
      reservationId: s.reservationId,
      orderId: s.orderId,
      step: s.step,
      dueAt: s.dueAt.toISOString(),
      level: s.level,
      overdueSince: s.overdueSince?.toISOString() ?? "",
      priority: s.priority,
      fulfillmentMethod: s.fulfillmentMethod,
      caseId: "",
      position: s.position,
    })),
    // An exchange's replacement late at a step (ADR 030's fifth and seventh addenda): the same people's list, named by its case.
    ...replacements.map((r) => ({
      reservationId: "",
      orderId: r.orderId,
      step: r.step,
      dueAt: r.dueAt.toISOString(),
      level: r.level,
      overdueSince: r.overdueSince?.toISOString() ?? "",
      priority: 0,
      fulfillmentMethod: "ship",
      caseId: r.caseId,
      position: r.position,
    })),
  ];
  late.sort(byPosition);
  const listed = late.slice(0, page.size);
  return {
    shipments: listed.map(({ position: _position, ...shipment }) => shipment),
    nextPageToken: nextOverduePageToken(listed.at(-1)?.position, late.length > page.size),
  };
}
