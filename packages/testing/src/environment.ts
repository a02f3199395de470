import { inject } from "vitest";

/** Where the test servers are; provided once per run by the global setup (test/setup/infrastructure.ts). */
export interface TestInfrastructure {
  /** Admin URL of the Postgres server; each test namespace creates its own database there. */
  serverUrl: string;
  kafkaBrokers: string[];
  redisUrl: string;
  /** "native" (servers on this machine, what CI runs) or "testcontainers". */
  mode: "native" | "testcontainers";
}

declare module "vitest" {
  export interface ProvidedContext {
    infrastructure: TestInfrastructure;
  }
}

export function testInfrastructure(): TestInfrastructure {
  const infrastructure = inject("infrastructure");
  if (!infrastructure) throw new Error("no test infrastructure: run the suite with `npm test` (or vitest with the project's config)");
  return infrastructure;
}
