import { describe, expect, it } from "vitest";
import { Topics, deadLetterTopicOf } from "@oms/contracts";
import { poisonOfKind } from "../../../support/poison.ts";
import { consumingGroupsOf } from "../consuming-groups.ts";
import { deadLettersAreOnlyThePlanted } from "./messaging.ts";
import { contextOf, messageOf } from "./test-fixtures.ts";

/**
 * "The DLQ holds only the planted poison": every consumer group reads a topic on its own,
 * so each must dead-letter each poison message planted there; one group's letter is no
 * proof that another got past it.
 */
describe("invariant: the DLQ holds only the planted poison", () => {
  const poison = poisonOfKind(Topics.fulfillmentOrder, "truncated envelope");
  const letterFrom = (group: string) => messageOf(poison.value, { "x-dlq-consumer": group, "x-dlq-error": "not an event envelope" });

  it("passes a poison message every group of its topic dead-lettered, one of them twice", async () => {
    const groups = consumingGroupsOf(poison.topic);
    const letters = [...groups, groups[0]!].map(letterFrom);
    const outcome = await deadLettersAreOnlyThePlanted(contextOf({ [deadLetterTopicOf(poison.topic)]: letters }, { planted: [poison] }));
    expect(outcome).toMatchObject({ ok: true, details: [] });
    expect(outcome.figure).toBe(`1 poison messages planted, to be dead-lettered by each group that reads their topic: ${groups.length} dead letters expected, ${groups.length + 1} found, 0 unexpected`);
  });

  it("catches a poison message only one of its groups dead-lettered", async () => {
    const outcome = await deadLettersAreOnlyThePlanted(contextOf({ [deadLetterTopicOf(poison.topic)]: [letterFrom("warehouse")] }, { planted: [poison] }));
    expect(outcome.ok).toBe(false);
    expect(outcome.details).toEqual([`planted truncated envelope on ${poison.topic} was never dead-lettered by intake, dispatch, billing, after-sales, archive`]);
  });

  it("catches a dead letter nobody planted", async () => {
    const stranger = messageOf(Buffer.from([0xff, 1, 2]), { "x-dlq-consumer": "billing", "x-dlq-error": "boom" });
    const outcome = await deadLettersAreOnlyThePlanted(contextOf({ [deadLetterTopicOf(Topics.fulfillmentOrder)]: [stranger] }));
    expect(outcome.details).toEqual([`${deadLetterTopicOf(Topics.fulfillmentOrder)}: an event nobody planted, dead-lettered by billing: boom`]);
  });
});
