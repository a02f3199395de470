export * from "./pool.ts";
export * from "./transaction.ts";
export * from "./migrations.ts";
export * from "./provisioning.ts";
export * from "./transaction-batcher.ts";
export { statementsSentByThisProcess } from "./preparing-client.ts";
export * from "./packed-bytes.ts";
export * from "./statement-parameters.ts";
export * from "./in-batches.ts";
