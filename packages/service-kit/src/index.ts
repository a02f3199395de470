export * from "./config.ts";
export * from "./grpc-tls.ts";
export * from "./runtime.ts";
export * from "./main-runner.ts";
export * from "./demo-chain.ts";
