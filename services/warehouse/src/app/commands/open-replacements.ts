import type pg from "pg";
import { EventTypes, newEvent, originFrom, type OrderEvent, type OrderEventOf } from "@oms/contracts";
import type { EventAppender } from "@oms/messaging";
import type { Logger } from "@oms/observability";
import { replacementRepository } from "../../adapters/pg/replacement-repository.ts";
import { replacementStock } from "../../adapters/pg/replacement-stock.ts";
import { stockRepository } from "../../adapters/pg/stock-repository.ts";
import { openReplacements, replacementLinesOf, type ReplacementOpened } from "../../domain/replacements.ts";
import type { AcceptedCase } from "../../domain/returns.ts";
import { startReplacementDeadlines } from "../replacement-deadlines.ts";
import type { ShipmentDeadlines } from "../step-deadlines.ts";

/**
 * Accepted exchanges send replacement goods from the order's store (ADR 030): each gets one
 * replacement, reserved now when the store can promise it, otherwise awaiting stock (a
 * shortage is an answer, never a failure of the consumer). In the consumer's transaction,
 * beside the expected return: the SKUs' stock rows are locked first, in the global order and
 * in one statement (stock-locks.ts), then the replacements are put on record; nothing here
 * waits for stock while holding a replacement. An acceptance heard again opens nothing.
 */
export async function openReplacementsOf(
  tx: pg.ClientBase,
  outbox: EventAppender,
  accepted: readonly OrderEventOf<typeof EventTypes.CaseAccepted>[],
  logger: Logger,
  deadlines: Pick<ShipmentDeadlines, "settings">,
): Promise<void> {
  const exchanges = accepted.filter((event) => replacementLinesOf(event.payload).length > 0);
  if (exchanges.length === 0) return;
  const cases = exchanges.map(acceptedCaseOf);
  const keys = cases.flatMap((c) => replacementLinesOf(c).map((line) => ({ storeId: c.storeId, sku: line.sku })));
  const stock = await stockRepository.lockAll(tx, keys);
  const existing = await replacementRepository.existing(tx, cases.map((c) => c.caseId));
  const opened = openReplacements(cases, existing, stock);
  // A twin transaction may have put a case on record since: it reserves and announces it, not this one.
  const inserted = await replacementRepository.insertAll(tx, opened.map((o) => o.replacement));
  const mine = opened.filter((o) => inserted.has(o.replacement.caseId));
  const announced: OrderEvent[] = [];
  for (const { replacement, short } of mine) {
    const cause = exchanges.find((e) => e.payload.caseId === replacement.caseId)!;
    const origin = originFrom(cause, "warehouse", cause.actor);
    if (replacement.status === "reserved") {
      await replacementStock.reserve(tx, replacement.reserved, { ...replacement, reason: `replacement for case ${replacement.caseId}`, actor: cause.actor });
      announced.push(newEvent(EventTypes.ReplacementReserved, { caseId: replacement.caseId, lines: replacement.reserved }, origin));
    } else {
      const lines = replacement.lines.map((l) => ({ ...l, location: "" }));
      // The restock date as an order's shortage carries it: the earliest any of the store's locations expects.
      const shortLines = short.map(({ sku, requested, available, expectedRestockDate }) => ({ sku, requested, available, expectedRestockDate }));
      announced.push(newEvent(EventTypes.ReplacementAwaitingStock, { caseId: replacement.caseId, lines, short: shortLines }, origin));
    }
  }
  await outbox.append(tx, announced);
  // Those reserved now must ship by their deadline (ADR 030's fifth addendum); only ours: a twin's are its to time.
  // Counted from now, as the rise and the move count theirs: the acceptance's time is after-sales' clock, and an
  // acceptance heard after a backlog longer than the allowance would be late the moment its clerks could see it.
  const correlationOf = (caseId: string) => exchanges.find((e) => e.payload.caseId === caseId)?.correlationId ?? "";
  await startReplacementDeadlines(tx, mine.map((o) => o.replacement), correlationOf, deadlines, new Date());
  if (mine.length > 0) logOpened(logger, mine, exchanges);
}

function acceptedCaseOf(event: OrderEventOf<typeof EventTypes.CaseAccepted>): AcceptedCase {
  return { caseId: event.payload.caseId, orderId: event.orderId, storeId: event.storeId, kind: event.payload.kind, lines: event.payload.lines, acceptedAt: event.occurredAt };
}

function logOpened(logger: Logger, opened: readonly ReplacementOpened[], causes: readonly OrderEventOf<typeof EventTypes.CaseAccepted>[]): void {
  for (const { replacement, short } of opened) {
    const correlationId = causes.find((e) => e.payload.caseId === replacement.caseId)?.correlationId;
    const fields = { orderId: replacement.orderId, caseId: replacement.caseId, storeId: replacement.storeId, correlationId };
    if (short.length === 0) logger.info(fields, "exchange replacement reserved");
    else logger.info({ ...fields, shortSkus: short.map((l) => l.sku) }, "exchange replacement awaiting stock");
  }
}
