import { allTopics, storeLevelEventTypes, type EventEnvelope } from "@oms/contracts";
import type { HandlerContext } from "@oms/messaging";
import type { ConsumerSpec } from "@oms/service-kit";
import type { EnvelopeCipher } from "../../adapters/crypto/envelope-cipher.ts";
import { fileEvents } from "../../app/commands/file-events.ts";

/**
 * The archive reads every topic and files every event, of known types and of types this
 * build does not know alike: both are filed from the envelope. Each call runs in the
 * consumer's batch transaction, after its inbox has dropped redeliveries.
 */
export function dossierFilingConsumer(cipher: EnvelopeCipher): ConsumerSpec {
  const file = async (envelope: EventEnvelope, { tx, topic }: HandlerContext) => {
    // Stock counts and receipts are about a store, not an order: no dossier holds them.
    if (storeLevelEventTypes.has(envelope.eventType)) return;
    await fileEvents(tx, cipher, [{ envelope, topic }]);
  };
  return {
    name: "archive",
    topics: allTopics,
    handle: (_event, context) => file(context.envelope, context),
    handleUnknown: file,
  };
}
