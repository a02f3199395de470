import { allTopics, deadLetterTopicOf } from "@oms/contracts";
import { samePayload } from "../../../support/poison.ts";
import { consumingGroupsOf } from "../consuming-groups.ts";
import { isPlanted, n, result, serviceSchemas, tableExists, type CheckContext, type InvariantResult } from "./context.ts";

/**
 * The dead-letter topics hold the planted poison messages and nothing else, and each
 * planted one was dead-lettered by every consumer group of its topic: each group reads
 * the topic on its own, so one group's dead letter says nothing of another's. A group
 * may dead-letter a message again after a crash (it redoes the batch): copies are harmless.
 */
export async function deadLettersAreOnlyThePlanted(context: CheckContext): Promise<InvariantResult> {
  const failures: string[] = [];
  let letters = 0;
  let unexpected = 0;
  // Per planted message, the groups that dead-lettered it (the consumer header names the group).
  const arrived = context.planted.map(() => new Set<string>());
  for (const topic of allTopics) {
    for (const message of context.topics.get(deadLetterTopicOf(topic)) ?? []) {
      letters++;
      const consumer = String(message.headers?.["x-dlq-consumer"] ?? "");
      const index = context.planted.findIndex((p) => p.topic === topic && samePayload(p.value, message.value));
      if (index >= 0) {
        arrived[index]!.add(consumer);
        continue;
      }
      unexpected++;
      const error = String(message.headers?.["x-dlq-error"] ?? "");
      failures.push(`${deadLetterTopicOf(topic)}: an event nobody planted, dead-lettered by ${consumer}: ${error.slice(0, 200)}`);
    }
  }
  let expected = 0;
  context.planted.forEach((p, i) => {
    const groups = consumingGroupsOf(p.topic);
    expected += groups.length;
    const missing = groups.filter((group) => !arrived[i]!.has(group));
    if (missing.length > 0) failures.push(`planted ${p.kind} on ${p.topic} was never dead-lettered by ${missing.join(", ")}`);
    const strangers = [...arrived[i]!].filter((group) => !groups.includes(group));
    if (strangers.length > 0) failures.push(`planted ${p.kind} on ${p.topic} was dead-lettered by ${strangers.join(", ")}, which do not read ${p.topic}`);
  });
  return result(
    "the DLQ holds only the planted poison",
    failures,
    `${n(context.planted.length)} poison messages planted, to be dead-lettered by each group that reads their topic: ` +
      `${n(expected)} dead letters expected, ${n(letters)} found, ${n(unexpected)} unexpected`,
  );
}

/** Nothing is left behind: every outbox is published, and no planted message is anywhere but the DLQ. */
export async function outboxesDrained(context: CheckContext): Promise<InvariantResult> {
  const failures: string[] = [];
  // The relay deletes what it has published: whatever an outbox still holds is unpublished.
  for (const schema of serviceSchemas) {
    // Every service's runtime migrates an outbox: one missing is a schema the check cannot read, not a pass.
    if (!(await tableExists(context.db, schema, "outbox"))) {
      failures.push(`${schema} has no outbox to check`);
      continue;
    }
    const { rows } = await context.db.query<{ pending: number }>(`SELECT count(*)::int AS pending FROM ${schema}.outbox`);
    if ((rows[0]?.pending ?? 0) > 0) failures.push(`${schema}'s outbox still holds ${rows[0]!.pending} unpublished events`);
  }
  const published = allTopics.reduce((sum, topic) => sum + (context.topics.get(topic)?.length ?? 0), 0);
  for (const topic of allTopics) {
    const poison = (context.topics.get(topic) ?? []).filter((m) => isPlanted(context, m.value)).length;
    const expected = context.planted.filter((p) => p.topic === topic).length;
    if (poison !== expected) failures.push(`${topic} carries ${poison} poison messages, ${expected} were planted`);
  }
  return result("every outbox drained", failures, `${n(published)} events on the topics, ${n(failures.length)} outboxes or topics at fault`);
}
