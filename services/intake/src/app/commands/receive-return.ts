import type { ReturnReceipt } from "../../adapters/grpc-clients/warehouse.ts";
import type { PermittedContext } from "../request-context.ts";
import { expectedReturnViewOf, type ExpectedReturnView } from "../warehouse-views.ts";
import type { WarehouseDeps } from "./pick-reservation.ts";

/** A warehouse clerk received goods of a return or exchange back and inspected them (ADR 021). */
export async function receiveReturn(deps: WarehouseDeps, context: PermittedContext<"receive-return">, caseId: string, receipt: ReturnReceipt): Promise<ExpectedReturnView> {
  return expectedReturnViewOf(await deps.warehouse.receiveReturn(caseId, context.caller, receipt, context.correlationId));
}
