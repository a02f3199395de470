// `npm run dlq -- list <topic>` / `npm run dlq -- replay <topic> [eventId...]`
// <topic> is the logical name (e.g. oms.fulfillment.order.v1); OMS_NAMESPACE applies.
import { allTopics } from "@oms/contracts";
import { createLogger } from "@oms/observability";
import { createKafka } from "../kafka-client.ts";
import { readDeadLetters, replayDeadLetters } from "./dead-letters.ts";

const [command, topic, ...eventIds] = process.argv.slice(2);
const usage = `usage: npm run dlq -- list|replay <topic> [eventId...]\ntopics: ${allTopics.join(", ")}`;
if (!command || !topic || !["list", "replay"].includes(command)) {
  process.stderr.write(`${usage}\n`);
  process.exit(2);
}
if (!(allTopics as readonly string[]).includes(topic)) {
  process.stderr.write(`unknown topic ${topic}\n${usage}\n`);
  process.exit(2);
}

const kafka = createKafka(
  { brokers: (process.env.KAFKA_BROKERS ?? "127.0.0.1:9092").split(","), clientId: "oms-dlq" },
  createLogger({ service: "dlq", level: "warn" }),
);
const letters = await readDeadLetters(kafka, topic, process.env.OMS_NAMESPACE ?? "");

if (command === "list") {
  for (const l of letters) {
    process.stdout.write(`${l.failedAt}  p${l.partition}@${l.offset}  ${l.eventType || "(unreadable)"}  ${l.eventId || "-"}  by ${l.consumer} after ${l.attempts}: ${l.error}\n`);
  }
  process.stdout.write(`${letters.length} dead letter(s) on ${topic}.dlq\n`);
} else {
  const chosen = eventIds.length > 0 ? letters.filter((l) => eventIds.includes(l.eventId)) : letters;
  const replayed = await replayDeadLetters(kafka, chosen);
  process.stdout.write(`replayed ${replayed} letter(s) to ${topic}\n`);
}
