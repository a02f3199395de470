import type pg from "pg";
import { EventTypes, newEvent, type warehouseApi } from "@oms/contracts";
import type { OutboxWriter } from "@oms/messaging";
import type { Logger } from "@oms/observability";
import { retryOnConflict, withTransaction } from "@oms/postgres";
import type { DeskReasons } from "@oms/sealing";
import { returnRepository } from "../../adapters/pg/return-repository.ts";
import { assertReturnCallOff, decideReturnCallOff, returnNotExpected, type ExpectedReturn } from "../../domain/returns.ts";
import { staffActorOf } from "../caller.ts";
import { processDeskReasons } from "../desk-reasons.ts";

/**
 * The after-sales desk says a return's outstanding goods will not come (the customer kept
 * them, the parcel was lost): the return leaves the store's receiving list, and
 * ReturnCalledOff tells the order's timeline, the dossier and the case. Which staff may is
 * the gateway's rule (call-off-return); the warehouse keeps who did it. Under the return's
 * row lock, so a receipt booked at the same moment is either counted in what was
 * outstanding or comes after the call-off, and is booked either way. The reason goes out sealed
 * (ADR 024, twenty-fourth-session addendum): the desk's words may name the customer.
 */
export async function callOffReturn(pool: pg.Pool, outbox: OutboxWriter, request: warehouseApi.CallOffReturnRequest, correlationId: string, logger: Logger, reasons: DeskReasons = processDeskReasons()): Promise<ExpectedReturn> {
  const actor = staffActorOf(request.caller);
  const callOff = assertReturnCallOff({ caseId: request.caseId, reason: request.reason });
  const answered = await retryOnConflict(() =>
    withTransaction(pool, async (tx) => {
      const expected = await returnRepository.lock(tx, callOff.caseId);
      if (!expected) throw returnNotExpected(callOff.caseId);
      const now = new Date();
      const decision = decideReturnCallOff(expected, callOff, `${actor.kind}:${actor.id}`, now);
      if (decision.kind === "repeat") return { after: expected, outstanding: 0, fresh: false };
      const { after, outstanding } = decision;
      await returnRepository.callOff(tx, after);
      // The event says the moment the return says: the case shows the same time as the receiving screen.
      const origin = { producer: "warehouse", orderId: after.orderId, storeId: after.storeId, actor, correlationId, now };
      await outbox.append(tx, [newEvent(EventTypes.ReturnCalledOff, { caseId: after.caseId, reason: "", sealedReason: reasons.seal("return-call-off", after.caseId, callOff.reason), outstanding }, origin)]);
      return { after, outstanding, fresh: true };
    }),
  );
  if (answered.fresh) {
    // The reason is free text the desk typed (it may name the customer): kept on the return, not logged.
    logger.info({ orderId: answered.after.orderId, caseId: callOff.caseId, outstanding: answered.outstanding, correlationId, storeId: answered.after.storeId }, "expected return called off");
  }
  return answered.after;
}
