import type pg from "pg";
import type { OutboxWriter } from "@oms/messaging";
import type { Logger } from "@oms/observability";
import { settle, TransactionBatcher, type Settled, type TransactionBatching } from "@oms/postgres";
import { reservationRepository } from "../adapters/pg/reservation-repository.ts";
import { stockRepository } from "../adapters/pg/stock-repository.ts";
import type { Reservation } from "../domain/reservation.ts";
import { decideShipment, type ShipmentCommand } from "../domain/shipment.ts";
import { newStepWrites, takeSteps, writeSteps, type StepCause } from "./advance-reservation.ts";
import type { ShipmentDeadlines } from "./step-deadlines.ts";

/** What a clerk does at the warehouse desk: pick, pack, hand to the carrier. */
export type ClerkCommand = Extract<ShipmentCommand, { type: "PickReservation" | "PackReservation" | "ShipReservation" }>;

export interface ClerkStep {
  command: ClerkCommand;
  cause: StepCause;
}

/** A clerk's step, answered with the reservation as it is afterwards. */
export type RunClerkStep = (step: ClerkStep) => Promise<Reservation>;

/** A clerk's wave of steps, committed together: each answered with its reservation or its own error. */
export type RunClerkWave = (steps: readonly ClerkStep[]) => Promise<PromiseSettledResult<Reservation>[]>;

export interface ClerkDesk {
  run: RunClerkStep;
  runWave: RunClerkWave;
}

/** WAREHOUSE_COMMANDS_IN_FLIGHT transactions at once (for shipments, and again for picks and packs), each up to WAREHOUSE_COMMAND_BATCH_MAX steps. */
export const defaultClerkStepBatching: TransactionBatching = { maxInFlight: 3, maxBatch: 50 };

/**
 * Clerks' steps, committed together when they come faster than commits. A shipment
 * holds hot stock rows: one transaction per shipment made the shipments of a busy item
 * queue behind one another, and the reservations of new orders behind all of them. Now
 * a batch locks, in one statement each and in the global order (stock-locks.ts), the
 * stock rows its shipments move and then its reservations; decides each step in memory
 * (a refused one answers its own error, a later step sees the earlier ones); moves the
 * stock per shipment; and writes the steps in two statements and announces them in one.
 * Shipments batch apart from picks and packs, which then never wait for stock rows.
 */
export function clerkDesk(pool: pg.Pool, outbox: OutboxWriter, logger: Logger, deadlines: ShipmentDeadlines, batching: TransactionBatching = defaultClerkStepBatching): ClerkDesk {
  const applyThem = (tx: pg.ClientBase, clerkSteps: readonly ClerkStep[]) => applyTogether(tx, outbox, deadlines, clerkSteps);
  const batcherOf = (name: string) => new TransactionBatcher<ClerkStep, Reservation>({ pool, applyTogether: applyThem, logger, name }, batching);
  // Shipments wait for hot stock rows; picks and packs lock only reservations and must not wait behind them.
  const [shipments, picksAndPacks] = [batcherOf("shipments"), batcherOf("picks and packs")];
  const isShipment = (step: ClerkStep) => step.command.type === "ShipReservation";
  return {
    run: (step) => (isShipment(step) ? shipments : picksAndPacks).run(step),
    runWave: async (steps) => {
      const [toShip, toPickOrPack] = [steps.filter(isShipment), steps.filter((step) => !isShipment(step))];
      const [shipped, pickedOrPacked] = await Promise.all([shipments.runAll(toShip), picksAndPacks.runAll(toPickOrPack)]);
      // Back in the order asked.
      return steps.map((step) => (isShipment(step) ? shipped : pickedOrPacked).shift()!);
    },
  };
}

async function applyTogether(tx: pg.ClientBase, outbox: OutboxWriter, deadlines: ShipmentDeadlines, clerkSteps: readonly ClerkStep[]): Promise<Settled<Reservation>[]> {
  await lockStockToShip(tx, clerkSteps);
  const reservations = await reservationRepository.findMany(tx, clerkSteps.map((s) => s.command.reservationId), { lock: true });
  const steps = newStepWrites();
  const settled: Settled<Reservation>[] = [];
  for (const { command, cause } of clerkSteps) {
    settled.push(
      await settle(async () => {
        const current = reservations.get(command.reservationId);
        const decided = decideShipment(command, current);
        // A step the reservation has passed already (a repeated pick, pack or ship) is refused
        // by decideShipment, naming its status: settle answers that clerk alone, the others go on.
        const next = await takeSteps(tx, current!, decided, cause, steps);
        reservations.set(command.reservationId, next);
        return next;
      }),
    );
  }
  await writeSteps(tx, steps, deadlines);
  await outbox.append(tx, steps.announced);
  return settled;
}

/** Stock rows before reservation rows (stock-locks.ts): the rows of every reservation the batch ships, in one statement. */
async function lockStockToShip(tx: pg.ClientBase, steps: readonly ClerkStep[]): Promise<void> {
  await stockRepository.lockForReservations(
    tx,
    steps.filter((s) => s.command.type === "ShipReservation").map((s) => s.command.reservationId),
  );
}
