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
import { kindOfKafkaError } from "./kafka-error-kind.ts";
import { coordinatorBackoff, retryWhileTransient, type BackoffPolicy, type Sleep } from "./transient-retry.ts";

export interface PartitionCommit {
  topic: string;
  partition: number;
  offset: string;
}

interface CoordinatorBroker {
  offsetCommit(request: { groupId: string; groupGenerationId: number; memberId: string; topics: { topic: string; partitions: { partition: number; offset: string }[] }[] }): Promise<unknown>;
}
/** The part of kafkajs' private cluster this uses: the seam its unit spec answers through. */
export interface KafkajsCluster {
  connect(): Promise<void>;
  disconnect(): Promise<void>;
  findGroupCoordinator(request: { groupId: string }): Promise<CoordinatorBroker>;
}

/** A group with members, or one that gained a member since it was checked: the coordinator refused the commit. */
export class GroupNotEmptyError extends Error {
  override readonly name = "GroupNotEmptyError";
  readonly group: string;
  constructor(group: string, refusal: string) {
    super(`consumer group ${group} has members running (${refusal}): its offsets were not changed`);
    this.group = group;
  }
}

export interface CommitterOptions {
  backoff?: BackoffPolicy;
  sleep?: Sleep;
}

export async function openGroupOffsetCommitter(kafka: Kafka, options: CommitterOptions = {}) {
  const createCluster = Object.getOwnPropertySymbols(kafka).find((symbol) => symbol.description === "private:Kafka:createCluster");
  if (createCluster === undefined) {
    throw new Error("this kafkajs no longer builds its cluster as 2.2.4 did: offsets cannot be committed without joining the group; reset them by hand (operations.md, \"Restoring\")");
  }
  const cluster = (kafka as unknown as Record<symbol, (options: { allowAutoTopicCreation: boolean }) => KafkajsCluster>)[createCluster]!({ allowAutoTopicCreation: false });
  // A broker that is restarting refuses connections for a moment, as its coordinator is busy after.
  await retryWhileTransient(() => cluster.connect(), options.backoff ?? coordinatorBackoff, options.sleep);
  return groupOffsetCommitter(cluster, options);
}

/**
 * Commits through a connected cluster, waiting out a coordinator that is loading or moving
 * (right after a broker restart) with a bounded backoff. Each attempt asks for the coordinator
 * anew (NOT_COORDINATOR means it moved) and sends the same absolute offsets, so an attempt
 * after one that wrote some partitions writes the same again. Nothing else is retried.
 */
export function groupOffsetCommitter(cluster: KafkajsCluster, options: CommitterOptions = {}) {
  return {
    /** All of one group's partitions in one request: the coordinator checks the group once for all of them. */
    async commit(group: string, commits: readonly PartitionCommit[]): Promise<void> {
      const topics = [...new Set(commits.map((c) => c.topic))].map((topic) => ({
        topic,
        partitions: commits.filter((c) => c.topic === topic).map(({ partition, offset }) => ({ partition, offset })),
      }));
      const send = async () => {
        const coordinator = await cluster.findGroupCoordinator({ groupId: group });
        await coordinator.offsetCommit({ groupId: group, groupGenerationId: -1, memberId: "", topics });
      };
      try {
        await retryWhileTransient(send, options.backoff ?? coordinatorBackoff, options.sleep);
      } catch (error) {
        const kind = kindOfKafkaError(error);
        if (kind.kind === "group-has-members") throw new GroupNotEmptyError(group, kind.error);
        throw error;
      }
    },
    close: () => cluster.disconnect().catch(() => {}),
  };
}
