import type { Admin } from "kafkajs";
import { physicalTopic, systemConsumerGroups } from "@oms/contracts";
import { toolKafka } from "./tool-servers.ts";

/**
 * How far behind each service's consumer group is: the topics' end offsets minus the
 * group's committed offsets, summed over partitions (kafkajs admin). Group ids are
 * `<namespace>.<service>`. The groups are the system's (`systemConsumerGroups`, held to the
 * services' consumer specs by test/chaos/src/consuming-groups.unit.spec.ts): a group left
 * out would let a drain look complete while it still lags.
 */
export const consumedTopics: Readonly<Record<string, readonly string[]>> = systemConsumerGroups;

export interface LagSample {
  at: number;
  lag: Record<string, number>;
}

export class ConsumerLagSampler {
  readonly samples: LagSample[] = [];
  readonly #admin: Admin;
  readonly #namespace: string;
  #timer: NodeJS.Timeout | undefined;
  #busy = false;
  #connected = false;

  constructor(brokers: string[], namespace: string) {
    this.#admin = toolKafka(brokers, "oms-lag-sampler").admin();
    this.#namespace = namespace;
  }

  async start(intervalMs = 2000): Promise<void> {
    await this.#admin.connect();
    this.#connected = true;
    this.#timer = setInterval(() => void this.sample().catch(() => {}), intervalMs);
    this.#timer.unref();
  }

  async stop(): Promise<void> {
    if (this.#timer) clearInterval(this.#timer);
    while (this.#busy) await new Promise((resolve) => setTimeout(resolve, 20));
    if (this.#connected) await this.#admin.disconnect();
    this.#connected = false;
  }

  /** One sample now (also used by the fault harness to wait for the drain). */
  async sample(): Promise<LagSample | undefined> {
    if (this.#busy) return undefined;
    this.#busy = true;
    try {
      const ends = new Map<string, number>();
      const topics = [...new Set(Object.values(consumedTopics).flat())];
      for (const topic of topics) {
        const name = physicalTopic(topic, this.#namespace);
        const offsets = await this.#admin.fetchTopicOffsets(name);
        for (const p of offsets) ends.set(`${name}:${p.partition}`, Number(p.high));
      }
      const lag: Record<string, number> = {};
      for (const [service, logical] of Object.entries(consumedTopics)) {
        const groups = await this.#admin.fetchOffsets({ groupId: `${this.#namespace}.${service}`, topics: logical.map((t) => physicalTopic(t, this.#namespace)) });
        let total = 0;
        for (const { topic, partitions } of groups) {
          for (const p of partitions) {
            const end = ends.get(`${topic}:${p.partition}`) ?? 0;
            // -1: nothing committed yet, so everything on the partition is still to be read.
            const committed = Number(p.offset) < 0 ? 0 : Number(p.offset);
            total += Math.max(0, end - committed);
          }
        }
        lag[service] = total;
      }
      const sample = { at: Date.now(), lag };
      this.samples.push(sample);
      return sample;
    } finally {
      this.#busy = false;
    }
  }
}
