import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ConfigResourceTypes } from "kafkajs";
import { Topics, deadLetterTopicOf, physicalTopic } from "@oms/contracts";
import { createTestNamespace, testKafka, type TestNamespace } from "./namespace.ts";

// The topics as the system creates them (ensureTopics over topicSpecs), read back from the broker.
let namespace: TestNamespace;

beforeAll(async () => {
  namespace = await createTestNamespace();
});

afterAll(() => namespace?.drop());

async function configOf(topic: string): Promise<Record<string, string>> {
  const admin = testKafka().admin();
  await admin.connect();
  try {
    const { resources } = await admin.describeConfigs({
      includeSynonyms: false,
      resources: [{ type: ConfigResourceTypes.TOPIC, name: physicalTopic(topic, namespace.name), configNames: ["cleanup.policy", "retention.ms"] }],
    });
    return Object.fromEntries(resources[0]!.configEntries.map((entry) => [entry.configName, entry.configValue]));
  } finally {
    await admin.disconnect();
  }
}

describe("the topics the system creates", () => {
  it("keep order events a week and dead letters a month, by age", async () => {
    expect(await configOf(Topics.fulfillmentOrder)).toEqual({ "cleanup.policy": "delete", "retention.ms": String(7 * 24 * 3600_000) });
    expect(await configOf(deadLetterTopicOf(Topics.fulfillmentOrder))).toEqual({ "cleanup.policy": "delete", "retention.ms": String(30 * 24 * 3600_000) });
  });

  it("keep the catalogue by key, so each store's and item's latest publication outlives any retention (ADR 028)", async () => {
    expect((await configOf(Topics.intakeCatalogue))["cleanup.policy"]).toBe("compact");
    // Its dead letters are kept by age like every other topic's.
    expect((await configOf(deadLetterTopicOf(Topics.intakeCatalogue)))["cleanup.policy"]).toBe("delete");
  });
});
