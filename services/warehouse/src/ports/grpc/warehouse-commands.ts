import type pg from "pg";
import { warehouseApi } from "@oms/contracts";
import { bindService } from "@oms/grpc";
import type { OutboxWriter } from "@oms/messaging";
import type { Logger } from "@oms/observability";
import type { DeskReasons } from "@oms/sealing";
import type { ClerkDesk } from "../../app/clerk-steps.ts";
import { callOffReplacement } from "../../app/commands/call-off-replacement.ts";
import { callOffReturn } from "../../app/commands/call-off-return.ts";
import { clearExpectedRestock } from "../../app/commands/clear-expected-restock.ts";
import { countStock } from "../../app/commands/count-stock.ts";
import { moveReplacement } from "../../app/commands/move-replacement.ts";
import { packReplacement } from "../../app/commands/pack-replacement.ts";
import { packReservation } from "../../app/commands/pack-reservation.ts";
import { pickReplacement } from "../../app/commands/pick-replacement.ts";
import { pickReservation } from "../../app/commands/pick-reservation.ts";
import { receiveReturn } from "../../app/commands/receive-return.ts";
import { receiveStock } from "../../app/commands/receive-stock.ts";
import { recordExpectedRestock } from "../../app/commands/record-expected-restock.ts";
import { rejectReservation } from "../../app/commands/reject-reservation.ts";
import { reportShipmentException } from "../../app/commands/report-shipment-exception.ts";
import { shipReplacement } from "../../app/commands/ship-replacement.ts";
import { shipReservation } from "../../app/commands/ship-reservation.ts";
import { workWave, type WaveOutcome } from "../../app/commands/work-wave.ts";
import { stockLevelView } from "../../app/queries/get-stock.ts";
import { replacementView } from "../../app/replacement-views.ts";
import { expectedReturnView } from "../../app/return-views.ts";
import type { ShipmentDeadlines } from "../../app/step-deadlines.ts";
import type { Reservation } from "../../domain/reservation.ts";

/** What warehouse clerks do: pick, pack, ship; count and receive stock; say when a SKU is expected back; receive returned goods; raise damage, loss and delay. And the after-sales desk's call-off of goods that will not come back, and its moves of waiting replacements to stores that have them. */
export function warehouseCommandsService(pool: pg.Pool, outbox: OutboxWriter, desk: ClerkDesk, deadlines: ShipmentDeadlines, logger: Logger, reasons: DeskReasons) {
  return bindService("oms.warehouse.v1.WarehouseCommands", warehouseApi.WarehouseCommandsService, {
    pickReservation: async (request, { correlationId }) =>
      reservationView(await pickReservation(desk.run, { ...request, correlationId: request.correlationId || correlationId })),
    packReservation: async (request, { correlationId }) =>
      reservationView(await packReservation(desk.run, { ...request, correlationId: request.correlationId || correlationId })),
    shipReservation: async (request, { correlationId }) =>
      reservationView(await shipReservation(desk.run, { ...request, correlationId: request.correlationId || correlationId })),
    workWave: async (request, { correlationId }) => ({
      outcomes: (await workWave(desk.runWave, { ...request, correlationId: request.correlationId || correlationId })).map(waveOutcomeView),
    }),
    countStock: async (request, { correlationId }) => stockLevelView(await countStock(pool, outbox, request, correlationId, deadlines)),
    receiveStock: async (request, { correlationId }) => stockLevelView(await receiveStock(pool, outbox, request, correlationId, deadlines)),
    recordExpectedRestock: async (request, { correlationId }) =>
      recordExpectedRestock(pool, outbox, request, request.correlationId || correlationId, deadlines.clock),
    clearExpectedRestock: async (request, { correlationId }) => clearExpectedRestock(pool, outbox, request, request.correlationId || correlationId),
    receiveReturn: async (request, { correlationId }) =>
      expectedReturnView(await receiveReturn(pool, outbox, request, request.correlationId || correlationId, logger.child({ component: "returns" }), deadlines)),
    callOffReturn: async (request, { correlationId }) =>
      expectedReturnView(await callOffReturn(pool, outbox, request, request.correlationId || correlationId, logger.child({ component: "returns" }), reasons)),
    shipReplacement: async (request, { correlationId }) =>
      replacementView(await shipReplacement(pool, outbox, request, request.correlationId || correlationId, logger.child({ component: "replacements" }))),
    pickReplacement: async (request, { correlationId }) =>
      replacementView(await pickReplacement(pool, outbox, request, request.correlationId || correlationId, logger.child({ component: "replacements" }), deadlines)),
    packReplacement: async (request, { correlationId }) =>
      replacementView(await packReplacement(pool, outbox, request, request.correlationId || correlationId, logger.child({ component: "replacements" }), deadlines)),
    callOffReplacement: async (request, { correlationId }) =>
      replacementView(await callOffReplacement(pool, outbox, request, request.correlationId || correlationId, logger.child({ component: "replacements" }), deadlines, reasons)),
    moveReplacement: async (request, { correlationId }) =>
      replacementView(await moveReplacement(pool, outbox, request, request.correlationId || correlationId, logger.child({ component: "replacements" }), deadlines, reasons)),
    rejectReservation: async (request, { correlationId }) =>
      reservationView(await rejectReservation(pool, outbox, deadlines, { ...request, correlationId: request.correlationId || correlationId })),
    reportShipmentException: async (request, { correlationId }) => {
      const raised = await reportShipmentException(pool, outbox, { ...request, correlationId: request.correlationId || correlationId });
      return { ...raised, raisedAt: raised.raisedAt.toISOString() };
    },
  });
}

function waveOutcomeView(outcome: WaveOutcome): warehouseApi.WaveOutcome {
  if ("reservation" in outcome) return { reservationId: outcome.reservationId, reservation: reservationView(outcome.reservation), refusal: undefined };
  const { kind, code, message } = outcome.refusal;
  return { reservationId: outcome.reservationId, reservation: undefined, refusal: { kind, code, message } };
}

function reservationView(reservation: Reservation): warehouseApi.ReservationView {
  return {
    reservationId: reservation.reservationId,
    orderId: reservation.orderId,
    storeId: reservation.storeId,
    status: reservation.status,
    carrier: reservation.dispatch?.carrier ?? "",
    trackingNumber: reservation.dispatch?.trackingNumber ?? "",
  };
}
