export * from "./environment.ts";
export * from "./namespace.ts";
export * from "./service-config.ts";
export * from "./eventually.ts";
export * from "./topic-reader.ts";
export * from "./infrastructure.ts";
export * from "./publish.ts";
export * from "./free-ports.ts";
