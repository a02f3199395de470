import type { KafkaMessage, Producer } from "kafkajs";
import { deadLetterTopicOf } from "@oms/contracts";

/** Headers a dead letter carries besides the original message's own. */
export const DeadLetterHeaders = {
  error: "x-dlq-error",
  originalTopic: "x-dlq-original-topic",
  originalPartition: "x-dlq-original-partition",
  originalOffset: "x-dlq-original-offset",
  consumer: "x-dlq-consumer",
  failedAt: "x-dlq-failed-at",
  attempts: "x-dlq-attempts",
} as const;

export interface DeadLetter {
  /** The physical topic the message was read from. */
  topic: string;
  partition: number;
  message: KafkaMessage;
  error: unknown;
  consumer: string;
  attempts: number;
}

/** Sends a message that could not be handled to `<topic>.dlq`, unchanged, with why in the headers. */
export async function publishDeadLetter(producer: Producer, letter: DeadLetter): Promise<void> {
  const reason = letter.error instanceof Error ? `${letter.error.name}: ${letter.error.message}` : String(letter.error);
  await producer.send({
    topic: deadLetterTopicOf(letter.topic),
    acks: -1,
    messages: [
      {
        key: letter.message.key,
        value: letter.message.value,
        headers: {
          ...letter.message.headers,
          [DeadLetterHeaders.error]: reason.slice(0, 2000),
          [DeadLetterHeaders.originalTopic]: letter.topic,
          [DeadLetterHeaders.originalPartition]: String(letter.partition),
          [DeadLetterHeaders.originalOffset]: letter.message.offset,
          [DeadLetterHeaders.consumer]: letter.consumer,
          [DeadLetterHeaders.failedAt]: new Date().toISOString(),
          [DeadLetterHeaders.attempts]: String(letter.attempts),
        },
      },
    ],
  });
}
