import type pg from "pg";
import type { Actor, EventOrigin, OrderEvent } from "@oms/contracts";
import type { OutboxWriter } from "@oms/messaging";
import { settle, TransactionBatcher, type Settled, type TransactionBatching } from "@oms/postgres";
import { reservationRepository } from "../adapters/pg/reservation-repository.ts";
import type { Reservation } from "../domain/reservation.ts";
import { decideShipment, evolveShipment, type ShipmentCommand } from "../domain/shipment.ts";
import { contractEventsOf, detailOf, type StepCause } from "./advance-reservation.ts";

/** The steps that move no stock: a clerk picks or packs a reservation. */
export type ClerkCommand = Extract<ShipmentCommand, { type: "PickReservation" | "PackReservation" }>;

export interface ClerkStep {
  command: ClerkCommand;
  cause: StepCause;
}

/** A clerk's pick or pack, answered with the reservation as it is afterwards. */
export type RunClerkStep = (step: ClerkStep) => Promise<Reservation>;

/** WAREHOUSE_COMMANDS_IN_FLIGHT transactions at once, each up to WAREHOUSE_COMMAND_BATCH_MAX steps. */
export const defaultClerkStepBatching: TransactionBatching = { maxInFlight: 3, maxBatch: 50 };

/**
 * Clerks' picks and packs, committed together when they come faster than commits: the
 * batch's reservations are locked in one statement (in id order), each step is decided
 * in memory — a refused one (not ready to pick, already packed) answers its own error —
 * and the steps are written in two statements and announced in one. A pick or pack locks
 * no stock, so a batch holds only reservation rows and waits for nothing after them.
 */
export function clerkStepRunner(pool: pg.Pool, outbox: OutboxWriter, batching: TransactionBatching = defaultClerkStepBatching): RunClerkStep {
  const batcher = new TransactionBatcher<ClerkStep, Reservation>({ pool, applyTogether: (tx, steps) => applyTogether(tx, outbox, steps) }, batching);
  return (step) => batcher.run(step);
}

async function applyTogether(tx: pg.ClientBase, outbox: OutboxWriter, steps: readonly ClerkStep[]): Promise<Settled<Reservation>[]> {
  const reservations = await reservationRepository.lockMany(tx, steps.map((s) => s.command.reservationId));
  const written: { next: Reservation; actor: Actor; detail: string }[] = [];
  const announced: OrderEvent[] = [];
  const settled: Settled<Reservation>[] = [];
  for (const { command, cause } of steps) {
    settled.push(
      await settle(async () => {
        const current = reservations.get(command.reservationId);
        const decided = decideShipment(command, current);
        // A step already taken stays taken (states only move forward): nothing to do.
        let next = current!;
        const origin: EventOrigin = { ...cause, producer: "warehouse", orderId: next.orderId, storeId: next.storeId };
        for (const event of decided) {
          next = evolveShipment(next, event);
          written.push({ next, actor: cause.actor, detail: detailOf(event) });
          announced.push(...contractEventsOf(event, origin));
        }
        reservations.set(command.reservationId, next);
        return next;
      }),
    );
  }
  await reservationRepository.advanceMany(tx, written);
  await outbox.append(tx, announced);
  return settled;
}
