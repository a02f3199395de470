import type { TestProject } from "vitest/node";
import { prepareTestInfrastructure } from "@oms/testing";

/**
 * Vitest global setup for the suites that talk to real servers: prepares them once per
 * run and hands their addresses to every test file through `inject("infrastructure")`.
 */
export default async function setup(project: TestProject) {
  const prepared = await prepareTestInfrastructure((message) => process.stderr.write(`[test-infra] ${message}\n`));
  project.provide("infrastructure", prepared.infrastructure);
  return () => prepared.release();
}
