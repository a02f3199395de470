import { createRequire } from "node:module";
import { javaCompatiblePartitioner, murmur2 } from "@oms/messaging";
import fc from "fast-check";
import { Partitioners, type PartitionerArgs } from "kafkajs";
import { describe, expect, it } from "vitest";

// kafkajs's own murmur2 is the reference: it is what chose every partition so far.
const kafkajsMurmur2 = createRequire(import.meta.url)("kafkajs/src/producer/partitioners/default/murmur2.js") as (key: Buffer | string) => number;

const metadataOf = (count: number, leaderless: readonly number[] = []): PartitionerArgs["partitionMetadata"] =>
  Array.from({ length: count }, (_, partitionId) => ({ partitionId, leader: leaderless.includes(partitionId) ? -1 : 0, partitionErrorCode: 0, replicas: [0], isr: [0] }));

describe("the Java-compatible partitioner", () => {
  it("hashes as the Java client's Utils.murmur2 (Kafka's own test vectors)", () => {
    expect(murmur2("21")).toBe(-973932308);
    expect(murmur2("foobar")).toBe(-790332482);
    expect(murmur2("a-little-bit-long-string")).toBe(-985981536);
    expect(murmur2("a-little-bit-longer-string")).toBe(-1486304829);
    expect(murmur2("lkjh234lh9fiuh90y23oiuhsafujhadof229phr9h19h89h8")).toBe(-58897971);
    expect(murmur2(Buffer.from("abc"))).toBe(479470107);
  });

  it("hashes every string (UTF-8, any length) and every byte string as kafkajs's murmur2", () => {
    fc.assert(
      fc.property(fc.oneof(fc.string({ unit: "binary", maxLength: 300 }), fc.uuid()), (key) => {
        expect(murmur2(key)).toBe(kafkajsMurmur2(key));
      }),
      { numRuns: 2_000 },
    );
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 300 }), (bytes) => {
        expect(murmur2(Buffer.from(bytes))).toBe(kafkajsMurmur2(Buffer.from(bytes)));
      }),
      { numRuns: 2_000 },
    );
  });

  it("puts a keyed message on the partition kafkajs's DefaultPartitioner chose, and keeps an explicit partition", () => {
    const ours = javaCompatiblePartitioner();
    const theirs = Partitioners.DefaultPartitioner();
    fc.assert(
      fc.property(fc.uuid(), fc.integer({ min: 1, max: 64 }), (key, count) => {
        const args = { topic: "t", partitionMetadata: metadataOf(count), message: { key, value: "v" } };
        expect(ours(args)).toBe(theirs(args));
      }),
      { numRuns: 1_000 },
    );
    expect(ours({ topic: "t", partitionMetadata: metadataOf(6), message: { key: "k", value: "v", partition: 4 } })).toBe(4);
  });

  it("spreads messages without a key round robin over the partitions that have a leader", () => {
    const partition = javaCompatiblePartitioner();
    const chosen = Array.from({ length: 8 }, () => partition({ topic: "t", partitionMetadata: metadataOf(6, [1, 3]), message: { value: "v" } }));
    expect(new Set(chosen)).toEqual(new Set([0, 2, 4, 5]));
    expect(chosen.slice(4)).toEqual(chosen.slice(0, 4));
  });
});
