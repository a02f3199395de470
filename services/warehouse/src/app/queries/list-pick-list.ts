import type pg from "pg";
import type { warehouseApi } from "@oms/contracts";
import { ValidationError, type FieldError } from "@oms/errors";
import { reservationRepository } from "../../adapters/pg/reservation-repository.ts";
import type { ReservationStatus } from "../../domain/reservation.ts";

/** The steps of the way out a clerk works from a list: what to pick, to pack, to hand to the carrier. */
const listedSteps: readonly ReservationStatus[] = ["ready-to-pick", "picked", "packed"];
const DEFAULT_LIMIT = 50;
const MAX_LIMIT = 500;

/**
 * The store's pick list (or pack or dispatch list): its reservations at one step, most
 * urgent first — the order's priority (urgent, perishable, key customer), then the one
 * waiting longest — so priority orders are served first in the warehouse too.
 */
export async function listPickList(pool: pg.Pool, request: warehouseApi.PickListRequest): Promise<warehouseApi.PickListResponse> {
  const status = (request.status || "ready-to-pick") as ReservationStatus;
  const limit = request.limit || DEFAULT_LIMIT;
  const errors: FieldError[] = [];
  if (!request.storeId) errors.push({ field: "storeId", message: "is required" });
  if (!listedSteps.includes(status)) errors.push({ field: "status", message: `must be one of ${listedSteps.join(", ")}` });
  if (!Number.isInteger(limit) || limit < 1 || limit > MAX_LIMIT) errors.push({ field: "limit", message: `must be a whole number from 1 to ${MAX_LIMIT}` });
  if (errors.length > 0) throw new ValidationError(errors);
  const listed = await reservationRepository.pickList(pool, request.storeId, status, limit);
  return {
    entries: listed.map((r) => ({
      reservationId: r.reservationId,
      orderId: r.orderId,
      status: r.status,
      priority: r.priority,
      fulfillmentMethod: r.fulfillmentMethod,
      lines: r.lines.map(({ sku, location, quantity }) => ({ sku, location, quantity })),
      since: r.since.toISOString(),
    })),
  };
}
