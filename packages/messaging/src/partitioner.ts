import { randomInt } from "node:crypto";
import type { ICustomPartitioner } from "kafkajs";

const SEED = 0x9747b28c;
const M = 0x5bd1e995;

/**
 * The Java client's murmur2 (org.apache.kafka.common.utils.Utils#murmur2) of a key's bytes
 * (a string's UTF-8), in the 32-bit integer arithmetic it is written in. kafkajs's own
 * emulates Java's ints with 64-bit Long objects, several for every four bytes of the key.
 */
export function murmur2(key: Buffer | string): number {
  if (typeof key !== "string") return murmur2OfBytes(key, key.length);
  if (scratch.length < key.length * 3) scratch = new Uint8Array(key.length * 3);
  return murmur2OfBytes(scratch, encoder.encodeInto(key, scratch).written);
}

// A string key is encoded into this buffer rather than a new Buffer for every message.
const encoder = new TextEncoder();
let scratch = new Uint8Array(256);

function murmur2OfBytes(data: Uint8Array, length: number): number {
  let h = SEED ^ length;
  const whole = length & ~3;
  for (let i = 0; i < whole; i += 4) {
    let k = data[i]! | (data[i + 1]! << 8) | (data[i + 2]! << 16) | (data[i + 3]! << 24);
    k = Math.imul(k, M);
    k ^= k >>> 24;
    k = Math.imul(k, M);
    h = Math.imul(h, M) ^ k;
  }
  const rest = length & 3; // the last one to three bytes, as Java's switch falls through them
  if (rest > 0) {
    if (rest === 3) h ^= data[whole + 2]! << 16;
    if (rest >= 2) h ^= data[whole + 1]! << 8;
    h ^= data[whole]!;
    h = Math.imul(h, M);
  }
  h ^= h >>> 13;
  h = Math.imul(h, M);
  h ^= h >>> 15;
  return h;
}

/**
 * Kafka's default partitioning, as kafkajs's DefaultPartitioner and the Java client do it
 * (so every client puts an order's events on the same partition): a message's own
 * partition if it names one, else the positive murmur2 of its key modulo the partition
 * count, else round robin over the partitions that have a leader. It computes murmur2 in
 * 32-bit arithmetic and lists the partitions with a leader only for a message without a
 * key; kafkajs's did both for every message, 8 % of what fulfillment allocated under load.
 */
export const javaCompatiblePartitioner: ICustomPartitioner = () => {
  const counters = new Map<string, number>();
  return ({ topic, partitionMetadata, message }) => {
    if (message.partition !== null && message.partition !== undefined) return message.partition;
    if (message.key !== null && message.key !== undefined) return (murmur2(message.key) & 0x7fffffff) % partitionMetadata.length;
    const available = partitionMetadata.filter((p) => p.leader >= 0);
    const next = ((counters.get(topic) ?? randomInt(2 ** 31)) + 1) & 0x7fffffff;
    counters.set(topic, next);
    return available.length > 0 ? available[next % available.length]!.partitionId : next % partitionMetadata.length;
  };
};
