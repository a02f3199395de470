import { systemActor } from "@oms/contracts";
import type { OutboxWriter } from "@oms/messaging";
import type { TimerHandler } from "@oms/timers";
import { executeOrderCommand } from "../../app/execute-order-command.ts";
import type { ConfirmationDeadlinePassed } from "../../domain/commands.ts";

/** One handler per stage of an unconfirmed order: follow up, escalate, cancel by rule. */
export function confirmationDeadline(outbox: OutboxWriter, stage: ConfirmationDeadlinePassed["stage"]): TimerHandler {
  return async (timer, tx) => {
    const actor = systemActor("fulfillment");
    await executeOrderCommand(
      tx,
      outbox,
      timer.orderId,
      {
        type: "ConfirmationDeadlinePassed",
        stage,
        hoursWaited: Number(timer.payload.hoursWaited),
        nextStepAt: String(timer.payload.nextStepAt ?? ""),
        actor,
      },
      { actor, causationId: `timer:${timer.id}` },
    );
  };
}
