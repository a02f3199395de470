import type pg from "pg";
import type { warehouseApi } from "@oms/contracts";
import { ValidationError, type FieldError } from "@oms/errors";
import { replacementDeadlineRepository } from "../../adapters/pg/replacement-deadline-repository.ts";
import { stepDeadlineRepository } from "../../adapters/pg/step-deadline-repository.ts";

const DEFAULT_LIMIT = 100;
const MAX_LIMIT = 500;

/**
 * The store's shipments past a step's deadline and still not through it (the clerks' and
 * the store manager's screen), the oldest deadline first: which step each waits for, since
 * when, and whether it was escalated. A step leaves the list when it is done, or when the
 * reservation is released. Exchanges' replacements not shipped by their deadline are listed
 * beside them (caseId set, reservationId ""), merged by deadline.
 */
export async function listOverdueShipments(pool: pg.Pool, request: warehouseApi.ListOverdueShipmentsRequest): Promise<warehouseApi.ListOverdueShipmentsResponse> {
  const limit = request.limit || DEFAULT_LIMIT;
  const errors: FieldError[] = [];
  if (!request.storeId) errors.push({ field: "storeId", message: "is required" });
  if (!Number.isInteger(limit) || limit < 1 || limit > MAX_LIMIT) errors.push({ field: "limit", message: `must be a whole number from 1 to ${MAX_LIMIT}` });
  if (errors.length > 0) throw new ValidationError(errors);
  const [steps, replacements] = await Promise.all([stepDeadlineRepository.overdueOfStore(pool, request.storeId, limit), replacementDeadlineRepository.overdueOfStore(pool, request.storeId, limit)]);
  const late: (warehouseApi.OverdueShipment & { at: number; id: string })[] = [
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
      at: s.dueAt.getTime(),
      id: s.reservationId,
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
      at: r.dueAt.getTime(),
      id: r.caseId,
    })),
  ];
  late.sort((a, b) => a.at - b.at || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  return { shipments: late.slice(0, limit).map(({ at: _at, id: _id, ...shipment }) => shipment) };
}
