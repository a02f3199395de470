// `npm run backup -- reset-offsets <name>` on the real broker: the system's consumer groups
// put back to a backup's recorded offsets (or by time without them), refused while a group
// has members or the broker is unreachable, a dry run that changes nothing (ADR 031).
import { spawn } from "node:child_process";
import path from "node:path";
import type { Admin, Consumer } from "kafkajs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { physicalTopic, systemConsumerGroups, Topics } from "@oms/contracts";
import { commitConsumerGroupResets, ConsumerGroupsNotResetError, createBackup, GroupNotEmptyError, openGroupOffsetCommitter, type BackupManifest } from "@oms/infra";
import { testInfrastructure, testKafka } from "@oms/testing";
import { createBackupFixture, type BackupFixture } from "./backup-fixture.ts";

const root = path.resolve(import.meta.dirname, "../..");
const command = path.join(root, "infra/src/commands/backup.ts");
const MINUTE = 60_000;

let fixture: BackupFixture;
let admin: Admin;
let backup: BackupManifest;
let topic: { orders: string; fulfillment: string; cases: string };
let group: { archive: string; fulfillment: string; dispatch: string; returns: string };

beforeAll(async () => {
  fixture = await createBackupFixture();
  const ns = fixture.namespace.name;
  topic = { orders: physicalTopic(Topics.intakeOrder, ns), fulfillment: physicalTopic(Topics.fulfillmentOrder, ns), cases: physicalTopic(Topics.afterSalesCase, ns) };
  group = { archive: fixture.group, fulfillment: physicalTopic("fulfillment", ns), dispatch: physicalTopic("dispatch", ns), returns: physicalTopic("warehouse-returns", ns) };
  admin = testKafka("oms-reset-offsets-spec").admin();
  await admin.connect();
  // Before the backup: the archive's group has read 2 of 5 events on fulfillment's topic (and,
  // from the fixture, 1 of 2 on intake's).
  await produce(topic.fulfillment, 0, 5);
  await admin.setOffsets({ groupId: group.archive, topic: topic.fulfillment, partitions: [{ partition: 0, offset: "2" }] });
  backup = await createBackup({ adminUrl: fixture.serverUrl, database: fixture.database, dir: fixture.dir, kafka: { brokers: testInfrastructure().kafkaBrokers, namespace: ns } });

  // After it, the system moved on: more events read, a partition added, and retention
  // deleted what the archive had not read on fulfillment's topic at the backup.
  await produce(topic.orders, 0, 3);
  await admin.setOffsets({ groupId: group.archive, topic: topic.orders, partitions: [{ partition: 0, offset: "5" }] });
  await admin.setOffsets({ groupId: group.fulfillment, topic: topic.orders, partitions: [{ partition: 0, offset: "5" }] });
  await admin.createPartitions({ topicPartitions: [{ topic: topic.orders, count: 3 }] });
  await admin.deleteTopicRecords({ topic: topic.fulfillment, partitions: [{ partition: 0, offset: "4" }] });
});

afterAll(async () => {
  await admin?.disconnect();
  await fixture?.drop();
});

async function produce(name: string, partition: number, count: number, timestamp?: number): Promise<void> {
  const producer = testKafka("oms-reset-offsets-spec").producer();
  await producer.connect();
  const messages = Array.from({ length: count }, (_, i) => ({ key: `k${i}`, value: "x", partition, ...(timestamp === undefined ? {} : { timestamp: String(timestamp) }) }));
  await producer.send({ topic: name, messages });
  await producer.disconnect();
}

/** `npm run backup -- …` without npm, not blocking this process: a consumer here must keep its heartbeat. */
function backupCli(args: string[], env: NodeJS.ProcessEnv = {}): Promise<{ code: number | null; out: string; err: string }> {
  const child = spawn(process.execPath, [command, ...args], {
    cwd: root,
    env: { ...process.env, DATABASE_URL: fixture.serverUrl, OMS_DATABASE: fixture.database, OMS_BACKUP_DIR: fixture.dir, KAFKA_BROKERS: testInfrastructure().kafkaBrokers.join(","), ...env },
  });
  let out = "";
  let err = "";
  child.stdout.on("data", (chunk: Buffer) => (out += chunk.toString()));
  child.stderr.on("data", (chunk: Buffer) => (err += chunk.toString()));
  return new Promise((resolve) => child.once("close", (code) => resolve({ code, out, err })));
}

async function committed(groupId: string, name: string): Promise<Record<number, string>> {
  const [offsets] = await admin.fetchOffsets({ groupId, topics: [name] });
  return Object.fromEntries(offsets!.partitions.map((p) => [p.partition, p.offset]));
}

const line = (g: string, t: string, partition: number) => new RegExp(`^  ${g}  ${t}\\[${partition}\\]  (.*)$`, "m");

describe("backup reset-offsets", () => {
  it("in a dry run prints each partition's move and changes nothing", async () => {
    const dry = await backupCli(["reset-offsets", backup.name, "--dry-run"]);
    expect(dry.err).toBe("");
    expect(dry.code).toBe(0);
    expect(line(group.archive, topic.orders, 0).exec(dry.out)?.[1]).toBe("5 -> 1  would change");
    expect(dry.out).toMatch(/dry run: \d+ partitions would change; nothing was changed/);
    expect(await committed(group.archive, topic.orders)).toMatchObject({ 0: "5" });
    expect(await committed(group.fulfillment, topic.orders)).toMatchObject({ 0: "5" });
  });

  it("puts the groups back to the backup's offsets, naming a new partition and what retention deleted; a second run changes nothing", async () => {
    const reset = await backupCli(["reset-offsets", backup.name]);
    expect(reset.err).toBe("");
    expect(reset.code).toBe(0);
    expect(line(group.archive, topic.orders, 0).exec(reset.out)?.[1]).toBe("5 -> 1  changed");
    expect(line(group.archive, topic.orders, 2).exec(reset.out)?.[1]).toBe("none -> 0  changed  (partition created after the backup: from its start)");
    expect(line(group.archive, topic.fulfillment, 0).exec(reset.out)?.[1]).toMatch(/^2 -> 4  changed  \(recorded 2, but retention deleted offsets 2 to 3/);
    // A system group with nothing committed at the backup starts from the log's start again.
    expect(line(group.fulfillment, topic.orders, 0).exec(reset.out)?.[1]).toBe("5 -> 0  changed  (nothing committed at the backup: from the log's start)");
    expect(await committed(group.archive, topic.orders)).toEqual({ 0: "1", 1: "0", 2: "0" });
    expect(await committed(group.archive, topic.fulfillment)).toMatchObject({ 0: "4" });
    expect(await committed(group.fulfillment, topic.orders)).toMatchObject({ 0: "0" });
    // An analytics team's group on the same topic is not the system's: left where it was.
    expect(await committed(fixture.foreignGroup, topic.orders)).toMatchObject({ 0: "2" });
    expect(reset.out).not.toContain(fixture.foreignGroup);

    const again = await backupCli(["reset-offsets", backup.name]);
    expect(again.code).toBe(0);
    expect(again.out).not.toMatch(/ changed/);
    // Every group the services consume as, from the list the backup records from.
    expect(again.out).toContain(`nothing to change: each of ${Object.keys(systemConsumerGroups).length} groups already stands where the backup puts it`);
    expect(await committed(group.archive, topic.orders)).toEqual({ 0: "1", 1: "0", 2: "0" });
  });

  it("a group it created, which no service has joined yet, is recorded by the next backup", async () => {
    // A group that did not exist (a rebuilt broker; here intake's, never read before) is created by
    // the member-less commit with no protocol type: a backup taken before the services start must
    // still record it, or the next restore sends it back to the log's start.
    const intake = physicalTopic("intake", fixture.namespace.name);
    const [listed] = (await admin.listGroups()).groups.filter((g) => g.groupId === intake);
    expect(listed?.protocolType).toBe("");
    const next = await createBackup({ adminUrl: fixture.serverUrl, database: fixture.database, dir: fixture.dir, kafka: { brokers: testInfrastructure().kafkaBrokers, namespace: fixture.namespace.name } });
    const recorded = next.kafka.reachable ? next.kafka.consumerGroups.find((g) => g.group === intake) : undefined;
    expect(recorded?.topics.find((t) => t.topic === topic.fulfillment)?.partitions ?? []).toContainEqual({ partition: 0, offset: "4" });
  });

  it("refuses while a group has a member running, naming it, and changes no group", async () => {
    await admin.setOffsets({ groupId: group.archive, topic: topic.orders, partitions: [{ partition: 0, offset: "5" }] });
    const consumer: Consumer = testKafka("oms-reset-offsets-spec").consumer({ groupId: group.dispatch });
    await consumer.connect();
    try {
      const joined = new Promise<void>((resolve) => consumer.on(consumer.events.GROUP_JOIN, () => resolve()));
      await consumer.subscribe({ topics: [topic.fulfillment] });
      await consumer.run({ eachMessage: async () => {} });
      await joined;

      const refused = await backupCli(["reset-offsets", backup.name]);
      expect(refused.code).toBe(1);
      // The member named by its client id and host, as the broker describes it.
      expect(refused.err).toMatch(new RegExp(`consumer group\\(s\\) with members running: ${group.dispatch} \\(1 member: oms-reset-offsets-spec on /[\\d.:a-f]+\\) — stop those services and run reset-offsets again; no group was changed`));
      expect(refused.err).not.toContain(group.archive);
      expect(await committed(group.archive, topic.orders)).toMatchObject({ 0: "5" });

      // A member that joins after the check: the coordinator itself refuses the member-less commit.
      const committer = await openGroupOffsetCommitter(testKafka("oms-reset-offsets-spec"));
      try {
        await expect(committer.commit(group.dispatch, [{ topic: topic.fulfillment, partition: 0, offset: "4" }])).rejects.toThrow(GroupNotEmptyError);
      } finally {
        await committer.close();
      }

      // The same at the verb's commit: the other groups are still reset, the group with a member
      // is named with it and left as it was, and the summary says which groups went back.
      const [before] = (await admin.fetchOffsets({ groupId: group.dispatch, topics: [topic.fulfillment] }))[0]!.partitions;
      const kafka = testKafka("oms-reset-offsets-spec");
      const failure = await commitConsumerGroupResets(admin, kafka, [
        { group: group.archive, topic: topic.orders, partition: 0, before: "5", after: "1" },
        { group: group.dispatch, topic: topic.fulfillment, partition: 0, before: before!.offset, after: "4" },
      ], testInfrastructure().kafkaBrokers).catch((e: unknown) => e);
      expect(failure).toBeInstanceOf(ConsumerGroupsNotResetError);
      const message = (failure as Error).message;
      expect(message).toMatch(new RegExp(`  ${group.dispatch}: consumer group\\(s\\) with members running: ${group.dispatch} \\(1 member: oms-reset-offsets-spec on /`));
      expect(message).toContain("    its offsets: none of its 1 partition moved");
      expect(message).toContain(`groups reset: ${group.archive}\ngroups not reset: ${group.dispatch}`);
      expect(await committed(group.archive, topic.orders)).toMatchObject({ 0: "1" });
      expect(await committed(group.dispatch, topic.fulfillment)).toMatchObject({ 0: before!.offset });
    } finally {
      await consumer.disconnect();
    }
  });

  it("refuses an unreachable broker with exit 1, naming the brokers it tried and never advising to stop members", async () => {
    const refused = await backupCli(["reset-offsets", backup.name], { KAFKA_BROKERS: "127.0.0.1:1,127.0.0.1:2" });
    expect(refused.code).toBe(1);
    // Waited out first, as a broker still starting would be (ADR 031, twenty-ninth-session addendum).
    expect(refused.err).toMatch(/Kafka is unreachable(: 127\.0\.0\.1:[12] failed)? \(.*ECONNREFUSED.*\) through 7 attempts over 15\.\d s; brokers tried: 127\.0\.0\.1:1, 127\.0\.0\.1:2 — check KAFKA_BROKERS and that the brokers run; no consumer group was changed/);
    expect(refused.err).not.toMatch(/stop/);
  });

  it("refuses a broker without any of the system's topics, naming it, rather than reporting nothing to change", async () => {
    // As a KAFKA_BROKERS pointing at another cluster looks: none of the backup's topics there.
    // Saying "nothing to change" with exit 0 would let the services resume past the backup.
    const elsewhere = `${fixture.namespace.name}x`;
    const other = await createBackup({ adminUrl: fixture.serverUrl, database: fixture.database, dir: fixture.dir, kafka: { brokers: testInfrastructure().kafkaBrokers, namespace: elsewhere } });
    const refused = await backupCli(["reset-offsets", other.name]);
    expect(refused.code).toBe(1);
    expect(refused.err).toContain(`none of the system's topics (namespace ${elsewhere}) is on Kafka at ${testInfrastructure().kafkaBrokers.join(",")}`);
    expect(refused.err).toContain("no consumer group was changed");
    expect((await admin.listGroups()).groups.filter((g) => g.groupId.startsWith(`${elsewhere}.`))).toEqual([]);
  });

  it("puts the groups back by time, the documented margin before the backup, when the backup has no offsets", async () => {
    // Events on the returns' topic: one well before the margin, one inside it, and, after the
    // backup, one more; the warehouse's returns group had read them all.
    const now = Date.now();
    await produce(topic.cases, 0, 1, now - 30 * MINUTE);
    await produce(topic.cases, 0, 1, now - 9 * MINUTE);
    const withoutOffsets = await createBackup({ adminUrl: fixture.serverUrl, database: fixture.database, dir: fixture.dir, kafka: { brokers: ["127.0.0.1:1"], namespace: fixture.namespace.name } });
    expect(withoutOffsets.kafka.reachable).toBe(false);
    await produce(topic.cases, 0, 1);
    await admin.setOffsets({ groupId: group.returns, topic: topic.cases, partitions: [{ partition: 0, offset: "3" }] });

    const reset = await backupCli(["reset-offsets", withoutOffsets.name]);
    expect(reset.err).toBe("");
    expect(reset.code).toBe(0);
    const from = new Date(Date.parse(withoutOffsets.takenAt) - 10 * MINUTE).toISOString();
    expect(reset.out).toContain(`Backup ${withoutOffsets.name} has no recorded offsets (Kafka was unreachable at the backup: `);
    expect(reset.out).toContain(`back to the offsets at ${from}, 10 minutes before the backup`);
    expect(line(group.returns, topic.cases, 0).exec(reset.out)?.[1]).toBe("3 -> 1  changed");
    expect(await committed(group.returns, topic.cases)).toMatchObject({ 0: "1" });
  });
});
