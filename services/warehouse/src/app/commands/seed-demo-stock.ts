import type pg from "pg";
import { systemActor } from "@oms/contracts";
import type { Logger } from "@oms/observability";
import { withTransaction } from "@oms/postgres";
import { loadDemoChain } from "@oms/service-kit";
import { routingRepository } from "../../adapters/pg/routing-repository.ts";
import { recordOpeningStock } from "./record-opening-stock.ts";

/** Books the demo chain's stock (infra/demo/chain.json) once, and writes its routing rules; seeding again changes nothing. */
export async function seedDemoStock(pool: pg.Pool, logger: Logger, chainFile?: string): Promise<void> {
  const chain = await loadDemoChain(chainFile);
  const inserted = await withTransaction(pool, (tx) =>
    recordOpeningStock(tx, chain.stock, { ...systemActor("warehouse"), role: "demo-seed" }, `demo chain ${chain.chain}`),
  );
  await routingRepository.writeChain(pool, chain);
  logger.info({ inserted, total: chain.stock.length, stores: chain.stores.length }, "demo stock and routing rules seeded");
}
