export * from "./iv-source.ts";
export * from "./key-ring.ts";
export * from "./sealer.ts";
export * from "./stored-text.ts";
export * from "./desk-reasons.ts";
