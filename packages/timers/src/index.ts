export * from "./schema.ts";
export * from "./timers.ts";
export * from "./poller.ts";
