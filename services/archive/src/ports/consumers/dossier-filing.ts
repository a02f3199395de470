import { allTopics, storeLevelEventTypes } from "@oms/contracts";
import type { ConsumerSpec } from "@oms/service-kit";
import type { EnvelopeCipher } from "../../adapters/crypto/envelope-cipher.ts";
import { fileEvents } from "../../app/commands/file-events.ts";

/**
 * The archive reads every topic and files every event, of known types and of types this
 * build does not know alike: both are filed from the envelope, and the envelope is sealed
 * as it was on the topic. A batch is filed in one statement, whose dossier upserts go in
 * order-id order: concurrent batches of different topics lock the same dossiers alike and
 * queue instead of deadlocking.
 *
 * The consumer keeps no inbox: a filed entry is keyed by its event id and filing skips an
 * id already filed, so a redelivery changes nothing without one. An inbox row per event
 * repeated that key for every event of every order (a third of the system's inbox rows,
 * each with its index entry and WAL); a redelivery now costs a second sealing instead.
 *
 * No order waits for its dossier, so the archive fetches in larger bites than the services
 * on an order's path: the broker answers once it holds 64 KB for it or a second has passed,
 * and a busy system's events are filed in a few big transactions a second rather than
 * dozens of small ones.
 */
export const archiveFetch = { minBytes: 64 * 1024, maxWaitMs: 1_000 };

export function dossierFilingConsumer(cipher: EnvelopeCipher): ConsumerSpec {
  return {
    name: "archive",
    topics: allTopics,
    fetch: archiveFetch,
    deduplication: "handler",
    // Filing needs the envelope, never the payload decoded (2.5 % of the archive's profile).
    envelopeOnly: true,
    // Every topic's events of a fetch filed in one statement.
    batchAcrossTopics: true,
    handleBatch: async (items, { tx }) => {
      const arrived = items
        // Stock counts and receipts are about a store, not an order: no dossier holds them.
        .filter((item) => !storeLevelEventTypes.has(item.envelope.eventType))
        .map((item) => ({ envelope: item.envelope, topic: item.topic, envelopeBytes: item.value }));
      await fileEvents(tx, cipher, arrived);
    },
  };
}
