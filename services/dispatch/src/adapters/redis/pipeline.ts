import type { ChainableCommander } from "ioredis";

/** Runs a pipeline; a command that failed fails the whole call (nothing is half-known). */
export async function execute(pipeline: ChainableCommander): Promise<unknown[]> {
  const results = (await pipeline.exec()) ?? [];
  const failed = results.find(([error]) => error);
  if (failed) throw failed[0];
  return results.map(([, value]) => value);
}
