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
          // A spec's process holds vitest and often several services beside intake: one intake alone
          // is ~220 MB resident there, so intake's production RSS threshold (300 MB) would shed the
          // specs' requests. The load-shedding spec sets its own thresholds.
          env: { INTAKE_SHED_RSS_MB: "0" },
        },
      },
    ],
  },
});
