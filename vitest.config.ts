import { defineConfig } from "vitest/config";

/**
 * Two projects by suffix (STYLE.md): `unit` — pure logic, no I/O; `integration` —
 * `*.int.spec.ts` (one service against the real servers) and `*.e2e.spec.ts` (the seven
 * services as separate processes). Every integration file works in its own namespace
 * (topics, consumer groups, database), so files run in parallel.
 */
export default defineConfig({
  test: {
    projects: [
      {
        test: {
          name: "unit",
          // Unit tests run first: they are quick and tell the most about a broken rule.
          sequence: { groupOrder: 0 },
          include: ["{packages,services,infra,test}/**/*.unit.spec.ts"],
          exclude: ["**/node_modules/**"],
        },
      },
      {
        test: {
          name: "integration",
          sequence: { groupOrder: 1 },
          include: ["{packages,services,infra,test}/**/*.{int,e2e}.spec.ts"],
          exclude: ["**/node_modules/**"],
          globalSetup: ["test/setup/infrastructure.ts"],
          testTimeout: 60_000,
          hookTimeout: 120_000,
          pool: "forks",
          maxWorkers: 2,
          // A spec's process holds vitest and often several services beside intake, all on one heap,
          // so intake's production heap threshold (200 MB) would shed the specs' own requests; and
          // CI's two cores run some 400 spec files at once, so an e2e stack's intake saw its event
          // loop a second late and answered 503 to a spec about something else. The load-shedding
          // spec sets its own thresholds.
          env: { INTAKE_SHED_HEAP_MB: "0", INTAKE_SHED_EVENT_LOOP_DELAY_MS: "0" },
        },
      },
    ],
  },
});
