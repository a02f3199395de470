// Committing an empty consumer group's offsets without joining it: what Kafka's own admin
// client does (AdminClient.alterConsumerGroupOffsets, which ConsumerGroupCommand runs) — one
// OffsetCommit with no member and generation -1, which the group's coordinator accepts only
// while the group has no members (UNKNOWN_MEMBER_ID otherwise).
//
// kafkajs' admin.setOffsets instead joins the group as a consumer, one topic at a time, and
// waits for a fetch: 5 s a topic (measured here; the archive's group alone reads seven) and a
// member in the group while it runs. kafkajs 2.2.4, its last release (pinned and patched,
// operations.md "Dependencies patched here"), has no public call for the plain commit, so
// this reaches its own cluster the way its admin() does. test/backup/backup-reset-offsets
// fails if an upgrade takes that away.
import type { Kafka } from "kafkajs";

export interface PartitionCommit {
  topic: string;
  partition: number;
  offset: string;
}

interface CoordinatorBroker {
  offsetCommit(request: { groupId: string; groupGenerationId: number; memberId: string; topics: { topic: string; partitions: { partition: number; offset: string }[] }[] }): Promise<unknown>;
}
interface KafkajsCluster {
  connect(): Promise<void>;
  disconnect(): Promise<void>;
  findGroupCoordinator(request: { groupId: string }): Promise<CoordinatorBroker>;
}

/** A group with members, or one that gained a member since it was checked: the coordinator refused the commit. */
export class GroupNotEmptyError extends Error {
  override readonly name = "GroupNotEmptyError";
}

export async function openGroupOffsetCommitter(kafka: Kafka) {
  const createCluster = Object.getOwnPropertySymbols(kafka).find((symbol) => symbol.description === "private:Kafka:createCluster");
  if (createCluster === undefined) {
    throw new Error("this kafkajs no longer builds its cluster as 2.2.4 did: offsets cannot be committed without joining the group; reset them by hand (operations.md, \"Restoring\")");
  }
  const cluster = (kafka as unknown as Record<symbol, (options: { allowAutoTopicCreation: boolean }) => KafkajsCluster>)[createCluster]!({ allowAutoTopicCreation: false });
  await cluster.connect();
  return {
    /** All of one group's partitions in one request: the coordinator writes them together or not at all. */
    async commit(group: string, commits: readonly PartitionCommit[]): Promise<void> {
      const topics = [...new Set(commits.map((c) => c.topic))].map((topic) => ({
        topic,
        partitions: commits.filter((c) => c.topic === topic).map(({ partition, offset }) => ({ partition, offset })),
      }));
      try {
        const coordinator = await cluster.findGroupCoordinator({ groupId: group });
        await coordinator.offsetCommit({ groupId: group, groupGenerationId: -1, memberId: "", topics });
      } catch (error) {
        const type = (error as { type?: string }).type;
        if (type === "UNKNOWN_MEMBER_ID" || type === "ILLEGAL_GENERATION" || type === "REBALANCE_IN_PROGRESS") {
          throw new GroupNotEmptyError(`consumer group ${group} has members running (${type}): its offsets were not changed`);
        }
        throw error;
      }
    },
    close: () => cluster.disconnect().catch(() => {}),
  };
}
