import type pg from "pg";
import type { fulfillmentApi } from "@oms/contracts";
import { ValidationError } from "@oms/errors";
import { forceMajeureRepository } from "../../adapters/pg/force-majeure-repository.ts";
import { viewsOf } from "./declaration-view.ts";

/** A store's declarations, newest first: those still declared, or all. */
export async function listForceMajeure(pool: pg.Pool, request: fulfillmentApi.ListForceMajeureRequest): Promise<fulfillmentApi.ListForceMajeureResponse> {
  if (!request.storeId.trim()) throw new ValidationError([{ field: "storeId", message: "is required" }]);
  return { events: await viewsOf(pool, await forceMajeureRepository.listOfStore(pool, request.storeId, request.includeLifted)) };
}
