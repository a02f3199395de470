import type pg from "pg";
import type { fulfillmentApi } from "@oms/contracts";
import { forceMajeureRepository, type ForceMajeureDeclaration } from "../../adapters/pg/force-majeure-repository.ts";
import type { DeclaredForceMajeure } from "../../domain/force-majeure.ts";

/** What the orders are told of a declaration: its kind and cause, and when it is expected to end. */
export function declaredOf(d: ForceMajeureDeclaration): DeclaredForceMajeure {
  return {
    eventId: d.eventId,
    storeId: d.storeId,
    districts: d.districts,
    cause: `${d.kind}: ${d.cause}`,
    ...(d.expectedUntil ? { expectedUntil: d.expectedUntil.toISOString() } : {}),
  };
}

/** Declarations as the gateway reads them, with how many orders each held and holds still. */
export async function viewsOf(db: pg.ClientBase | pg.Pool, declarations: readonly ForceMajeureDeclaration[]): Promise<fulfillmentApi.ForceMajeureView[]> {
  const counts = await forceMajeureRepository.counts(db, declarations.map((d) => d.eventId));
  return declarations.map((d) => ({
    eventId: d.eventId,
    storeId: d.storeId,
    districts: d.districts,
    kind: d.kind,
    cause: d.cause,
    from: d.from.toISOString(),
    expectedUntil: d.expectedUntil?.toISOString() ?? "",
    declaredBy: d.declaredBy,
    declaredAt: d.declaredAt.toISOString(),
    liftedAt: d.liftedAt?.toISOString() ?? "",
    liftedBy: d.liftedBy ?? "",
    ordersHeld: counts.get(d.eventId)?.held ?? 0,
    ordersStillHeld: counts.get(d.eventId)?.stillHeld ?? 0,
  }));
}
