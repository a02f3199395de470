import { describe, expect, it } from "vitest";
import { loadSheddingFromEnv } from "./load-shedding-settings.ts";

describe("when intake sheds load (ADR 009, twenty-eighth-session addendum)", () => {
  it("sheds at a second of mean event-loop delay or 200 MB of heap in use, asking callers back in 5 s, unless set", () => {
    expect(loadSheddingFromEnv({})).toEqual({ maxEventLoopDelayMs: 1_000, maxHeapUsedBytes: 200 * 1024 * 1024, retryAfterSeconds: 5, sampleIntervalMs: 1_000 });
  });

  it("takes each threshold from the environment, 0 turning that signal off", () => {
    const settings = loadSheddingFromEnv({ INTAKE_SHED_EVENT_LOOP_DELAY_MS: "250", INTAKE_SHED_HEAP_MB: "0", INTAKE_SHED_RETRY_AFTER_SECONDS: "30" });
    expect(settings).toMatchObject({ maxEventLoopDelayMs: 250, maxHeapUsedBytes: 0, retryAfterSeconds: 30 });
    expect(loadSheddingFromEnv({ INTAKE_SHED_EVENT_LOOP_DELAY_MS: "0", INTAKE_SHED_HEAP_MB: " " })).toMatchObject({ maxEventLoopDelayMs: 0, maxHeapUsedBytes: 200 * 1024 * 1024 });
  });

  it("refuses a threshold that is not a whole number in its range, naming the variable and the range", () => {
    for (const wrong of ["-1", "1.5", "a second", "60001"])
      expect(() => loadSheddingFromEnv({ INTAKE_SHED_EVENT_LOOP_DELAY_MS: wrong }), wrong).toThrow(/INTAKE_SHED_EVENT_LOOP_DELAY_MS must be a whole number of milliseconds from 0 \(off\) to 60000, got/);
    // Near a process's own live heap a threshold would shed at every collection's peak.
    for (const wrong of ["50", "1e3", "65537"]) expect(() => loadSheddingFromEnv({ INTAKE_SHED_HEAP_MB: wrong }), wrong).toThrow(/INTAKE_SHED_HEAP_MB must be 0 \(off\) or a whole number of megabytes from 100 to 65536, got/);
    for (const wrong of ["0", "301", "soon"]) expect(() => loadSheddingFromEnv({ INTAKE_SHED_RETRY_AFTER_SECONDS: wrong }), wrong).toThrow(/INTAKE_SHED_RETRY_AFTER_SECONDS must be a whole number of seconds from 1 to 300, got/);
  });
});
