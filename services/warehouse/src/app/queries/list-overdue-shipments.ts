import type pg from "pg";
import type { warehouseApi } from "@oms/contracts";
import { ValidationError, type FieldError } from "@oms/errors";
import { stepDeadlineRepository } from "../../adapters/pg/step-deadline-repository.ts";

const DEFAULT_LIMIT = 100;
const MAX_LIMIT = 500;

/**
 * The store's shipments past a step's deadline and still not through it (the clerks' and
 * the store manager's screen), the oldest deadline first: which step each waits for, since
 * when, and whether it was escalated. A step leaves the list when it is done, or when the
 * reservation is released.
 */
export async function listOverdueShipments(pool: pg.Pool, request: warehouseApi.ListOverdueShipmentsRequest): Promise<warehouseApi.ListOverdueShipmentsResponse> {
  const limit = request.limit || DEFAULT_LIMIT;
  const errors: FieldError[] = [];
  if (!request.storeId) errors.push({ field: "storeId", message: "is required" });
  if (!Number.isInteger(limit) || limit < 1 || limit > MAX_LIMIT) errors.push({ field: "limit", message: `must be a whole number from 1 to ${MAX_LIMIT}` });
  if (errors.length > 0) throw new ValidationError(errors);
  const late = await stepDeadlineRepository.overdueOfStore(pool, request.storeId, limit);
  return {
    shipments: late.map((s) => ({
      reservationId: s.reservationId,
      orderId: s.orderId,
      step: s.step,
      dueAt: s.dueAt.toISOString(),
      level: s.level,
      overdueSince: s.overdueSince?.toISOString() ?? "",
      priority: s.priority,
      fulfillmentMethod: s.fulfillmentMethod,
    })),
  };
}
