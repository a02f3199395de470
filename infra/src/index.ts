export * from "./kafka.ts";
export * from "./postgres.ts";
export * from "./redis.ts";
export * from "./stack.ts";
export * from "./grpc-certificates.ts";
export * from "./system.ts";
export * from "./proto.ts";
export * from "./process-priority.ts";
