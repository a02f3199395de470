import type pg from "pg";
import { NotFoundError } from "@oms/errors";
import type { AfterSalesCases } from "../adapters/grpc-clients/after-sales.ts";
import type { ArchiveDossiers } from "../adapters/grpc-clients/archive.ts";
import type { BillingSettlements } from "../adapters/grpc-clients/billing.ts";
import type { DispatchTasks } from "../adapters/grpc-clients/dispatch.ts";
import type { FulfillmentOrders } from "../adapters/grpc-clients/fulfillment.ts";
import { recordStores } from "../adapters/pg/record-stores.ts";

export interface ResourceStoreDeps {
  pool: pg.Pool;
  fulfillment: FulfillmentOrders;
  dispatch: DispatchTasks;
  afterSales: AfterSalesCases;
  billing: BillingSettlements;
  archive: ArchiveDossiers;
}

/** The kinds of resource a request can name (a path or query parameter, or a body field) whose store decides who may touch it. */
export const storeBearingResources = ["storeId", "orderId", "reservationId", "taskId", "staffId", "reviewId", "correctionId", "caseId", "replacementId", "reconciliationId", "requestId", "disputeId", "eventId"] as const;
export type StoreBearingResource = (typeof storeBearingResources)[number];

/** Whether a store is one the caller may act at. */
export type InScope = (storeId: string) => boolean;

/**
 * The stores a named resource belongs to, asked of whoever keeps it; undefined when nobody
 * knows it (the route then answers 404 as it would for anyone). An order belongs to the store
 * it was taken for and to every store fulfillment has it served from (a routed order, the
 * parts of a split one): staff of either work on it.
 */
export type ResourceStores = (kind: StoreBearingResource, id: string, inScope: InScope, correlationId: string) => Promise<readonly string[] | undefined>;

const unlessUnknown = async <T>(ask: () => Promise<T>): Promise<T | undefined> => {
  try {
    return await ask();
  } catch (error) {
    if (error instanceof NotFoundError) return undefined;
    throw error;
  }
};

const known = (...stores: (string | undefined)[]) => {
  const named = [...new Set(stores.filter((store): store is string => !!store))];
  return named.length > 0 ? named : undefined;
};

export function resourceStoresOf(deps: ResourceStoreDeps): ResourceStores {
  async function ofOrder(orderId: string, inScope: InScope, correlationId: string): Promise<readonly string[] | undefined> {
    const taken = await recordStores.ofOrder(deps.pool, orderId);
    // The common case costs one local lookup: the caller works where the order was taken.
    if (taken !== undefined && inScope(taken)) return [taken];
    const served = await unlessUnknown(() => deps.fulfillment.getOrder(orderId, correlationId));
    return known(taken, served?.storeId, ...(served?.parts ?? []).map((part) => part.storeId));
  }

  return async (kind, id, inScope, correlationId) => {
    switch (kind) {
      case "storeId":
        return [id];
      case "orderId":
        return ofOrder(id, inScope, correlationId);
      case "reservationId":
        // `<orderId>/reservation/<n>` (fulfillment's ids.ts): a reservation is its order's.
        return ofOrder(id.split("/")[0] ?? "", inScope, correlationId);
      case "taskId":
        return known((await unlessUnknown(() => deps.dispatch.getTask(id, correlationId)))?.storeId);
      case "staffId":
        return known((await unlessUnknown(() => deps.dispatch.getStaff(id, correlationId)))?.storeId);
      case "reviewId":
        return known(await recordStores.ofReview(deps.pool, id));
      case "correctionId":
        return known(await recordStores.ofCorrection(deps.pool, id));
      case "caseId":
        return known((await unlessUnknown(() => deps.afterSales.getCase(id, correlationId)))?.storeId);
      case "replacementId": {
        // An exchange's replacement (its id is its case's, ADR 030) is the work of the store it ships from: the order's, or
        // the one the desk sent it from (third addendum), as after-sales last heard — not the case's other business.
        const found = await unlessUnknown(() => deps.afterSales.getCase(id, correlationId));
        return known(found?.replacementStoreId || found?.storeId);
      }
      case "reconciliationId":
        return known((await unlessUnknown(() => deps.billing.getReconciliation(id, correlationId)))?.storeId);
      case "disputeId":
        return known((await unlessUnknown(() => deps.billing.getSettlementDispute(id, correlationId)))?.storeId);
      case "eventId":
        return known(await deps.fulfillment.forceMajeureStoreOf(id, correlationId));
      case "requestId": {
        const request = await unlessUnknown(() => deps.archive.getAccessRequest(id, correlationId));
        return request ? ofOrder(request.orderId, inScope, correlationId) : undefined;
      }
    }
  };
}
