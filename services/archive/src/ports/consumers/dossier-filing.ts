import { allTopics, storeLevelEventTypes } from "@oms/contracts";
import type { ConsumerSpec } from "@oms/service-kit";
import type { EnvelopeCipher } from "../../adapters/crypto/envelope-cipher.ts";
import { fileEvents } from "../../app/commands/file-events.ts";

/**
 * The archive reads every topic and files every event, of known types and of types this
 * build does not know alike: both are filed from the envelope, and the envelope is sealed
 * as it was on the topic. A batch (after the consumer's inbox has dropped redeliveries) is
 * filed in one statement, whose dossier upserts go in order-id order: concurrent batches
 * of different topics lock the same dossiers alike and queue instead of deadlocking.
 */
export function dossierFilingConsumer(cipher: EnvelopeCipher): ConsumerSpec {
  return {
    name: "archive",
    topics: allTopics,
    handleBatch: async (items, { tx, topic }) => {
      const arrived = items
        // Stock counts and receipts are about a store, not an order: no dossier holds them.
        .filter((item) => !storeLevelEventTypes.has(item.envelope.eventType))
        .map((item) => ({ envelope: item.envelope, topic, envelopeBytes: item.value }));
      await fileEvents(tx, cipher, arrived);
    },
  };
}
