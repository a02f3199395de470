import { describe, expect, it } from "vitest";
import { kafkaPortOf } from "./kafka.ts";

describe("the port of the broker the scripts start", () => {
  it("is KAFKA_PORT, or 9092 when unset", () => {
    expect(kafkaPortOf({})).toBe(9092);
    expect(kafkaPortOf({ KAFKA_PORT: "19092" })).toBe(19_092);
  });

  it("refuses a KAFKA_PORT that is no port, by name", () => {
    expect(() => kafkaPortOf({ KAFKA_PORT: "abc" })).toThrow('KAFKA_PORT must be a whole number from 1 to 65535, got "abc"');
    expect(() => kafkaPortOf({ KAFKA_PORT: "0" })).toThrow(/KAFKA_PORT must be/);
    expect(() => kafkaPortOf({ KAFKA_PORT: "9092.5" })).toThrow(/KAFKA_PORT must be/);
  });
});
