import { EventTypes, Topics, type OrderEventOf } from "@oms/contracts";
import type { ConsumerSpec } from "@oms/service-kit";
import { recordReturnedGoods } from "../../app/commands/record-returned-goods.ts";

/** The warehouse's receipts of returned goods, recorded on their cases (ADR 021). Its own group: the stock topic is busy, its returns few. */
export function returnedGoodsConsumer(): ConsumerSpec {
  return {
    name: "after-sales-returns",
    topics: [Topics.warehouseStock],
    eventTypes: [EventTypes.ReturnReceived],
    handleBatch: async (items, { tx, logger }) => {
      for (const item of items) {
        if (item.event?.type === EventTypes.ReturnReceived) await recordReturnedGoods(tx, item.event as OrderEventOf<typeof EventTypes.ReturnReceived>, logger);
      }
    },
  };
}
