export * from "./definitions.ts";
export * from "./errors.ts";
export * from "./health.ts";
export * from "./server.ts";
export * from "./client.ts";
export * from "./transport-security.ts";
export * from "./reloading-tls-identity.ts";
export * from "./tls-reload-log.ts";
