import { EventTypes, Topics, type OrderEventOf } from "@oms/contracts";
import type { ConsumerSpec } from "@oms/service-kit";
import { isReplacementEvent, recordCaseReplacement, replacementEventTypes } from "../../app/commands/record-replacement.ts";
import { recordCaseReplacementOverdue } from "../../app/commands/record-replacement-overdue.ts";
import { recordCaseReplacementRestock } from "../../app/commands/record-replacement-restock.ts";
import { isReplacementStepEvent, recordCaseReplacementStep, replacementStepEventTypes } from "../../app/commands/record-replacement-step.ts";
import { recordReturnCalledOff } from "../../app/commands/record-return-called-off.ts";
import { recordReturnedGoods } from "../../app/commands/record-returned-goods.ts";

/**
 * The warehouse's receipts of returned goods, and its call-offs of goods that will not come,
 * recorded on their cases (ADR 021); and where an exchange's replacement stands and when it is
 * expected, its clerk's pick and pack, and whether it is late (ADR 030 and its addenda).
 * Its own group: the stock topic is busy, its returns and replacements few.
 */
export function returnedGoodsConsumer(): ConsumerSpec {
  return {
    name: "after-sales-returns",
    topics: [Topics.warehouseStock],
    eventTypes: [EventTypes.ReturnReceived, EventTypes.ReturnCalledOff, ...replacementEventTypes, ...replacementStepEventTypes, EventTypes.ReplacementRestockExpected, EventTypes.ReplacementShipOverdue],
    handleBatch: async (items, { tx, logger }) => {
      for (const item of items) {
        if (item.event?.type === EventTypes.ReturnReceived) await recordReturnedGoods(tx, item.event as OrderEventOf<typeof EventTypes.ReturnReceived>, logger);
        if (item.event?.type === EventTypes.ReturnCalledOff) await recordReturnCalledOff(tx, item.event as OrderEventOf<typeof EventTypes.ReturnCalledOff>, logger);
        if (isReplacementEvent(item.event)) await recordCaseReplacement(tx, item.event, logger);
        if (isReplacementStepEvent(item.event)) await recordCaseReplacementStep(tx, item.event, logger);
        if (item.event?.type === EventTypes.ReplacementRestockExpected) {
          await recordCaseReplacementRestock(tx, item.event as OrderEventOf<typeof EventTypes.ReplacementRestockExpected>, logger);
        }
        if (item.event?.type === EventTypes.ReplacementShipOverdue) {
          await recordCaseReplacementOverdue(tx, item.event as OrderEventOf<typeof EventTypes.ReplacementShipOverdue>, logger);
        }
      }
    },
  };
}
