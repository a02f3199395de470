import type pg from "pg";
import type { fulfillmentApi } from "@oms/contracts";
import { ValidationError } from "@oms/errors";
import { forceMajeureRepository } from "../../adapters/pg/force-majeure-repository.ts";
import { viewsOf } from "./declaration-view.ts";

/** A store's declarations, newest first: those still declared, or all; or the one an id names. */
export async function listForceMajeure(pool: pg.Pool, request: fulfillmentApi.ListForceMajeureRequest): Promise<fulfillmentApi.ListForceMajeureResponse> {
  if (request.eventId.trim()) {
    const declaration = await forceMajeureRepository.find(pool, request.eventId);
    return { events: declaration ? await viewsOf(pool, [declaration]) : [] };
  }
  if (!request.storeId.trim()) throw new ValidationError([{ field: "storeId", message: "is required (or eventId)" }]);
  return { events: await viewsOf(pool, await forceMajeureRepository.listOfStore(pool, request.storeId, request.includeLifted)) };
}
