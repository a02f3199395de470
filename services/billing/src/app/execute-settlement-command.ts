import type pg from "pg";
import type { EventOrigin } from "@oms/contracts";
import type { OutboxWriter } from "@oms/messaging";
import type { Settlement, SettlementCommand } from "../domain/settlement.ts";
import { SettlementUnitOfWork } from "./settlement-unit-of-work.ts";

/** One settlement command in the caller's transaction: lock, decide, evolve, save, record payments and events. */
export async function executeSettlementCommand(
  tx: pg.ClientBase,
  outbox: OutboxWriter,
  orderId: string,
  command: SettlementCommand,
  origin: EventOrigin,
): Promise<Settlement | undefined> {
  const unit = new SettlementUnitOfWork(tx);
  await unit.load([orderId]);
  const settlement = unit.execute(orderId, command, origin);
  await unit.flush(outbox);
  return settlement;
}
