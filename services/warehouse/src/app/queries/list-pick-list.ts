import type pg from "pg";
import type { warehouseApi } from "@oms/contracts";
import { ValidationError, type FieldError } from "@oms/errors";
import { reservationRepository } from "../../adapters/pg/reservation-repository.ts";
import type { ReservationStatus } from "../../domain/reservation.ts";
import { nextPickListPageToken, pickListPageOf } from "./clerk-list-pages.ts";

/** The steps of the way out a clerk works from a list: what to pick, to pack, to hand to the carrier. */
const listedSteps: readonly ReservationStatus[] = ["ready-to-pick", "picked", "packed"];

/**
 * The store's pick list (or pack or dispatch list): its reservations at one step, most
 * urgent first — the order's priority (urgent, perishable, key customer), then the one
 * waiting longest — so priority orders are served first in the warehouse too. A page at a
 * time (`nextPageToken` continues it, "" on the last page), so none is cut off unsaid.
 */
export async function listPickList(pool: pg.Pool, request: warehouseApi.PickListRequest): Promise<warehouseApi.PickListResponse> {
  const status = (request.status || "ready-to-pick") as ReservationStatus;
  const errors: FieldError[] = [];
  if (!request.storeId) errors.push({ field: "storeId", message: "is required" });
  if (!listedSteps.includes(status)) errors.push({ field: "status", message: `must be one of ${listedSteps.join(", ")}` });
  const page = pickListPageOf(request, errors);
  if (page.after && page.after.step !== status) errors.push({ field: "pageToken", message: `is a token of the ${page.after.step} list, not the ${status} one` });
  if (errors.length > 0) throw new ValidationError(errors);
  // One more than the page: whether a next page exists, without a count.
  const read = await reservationRepository.pickList(pool, request.storeId, status, { size: page.size + 1, after: page.after });
  const listed = read.slice(0, page.size);
  return {
    nextPageToken: nextPickListPageToken(listed.at(-1)?.position, read.length > page.size),
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
