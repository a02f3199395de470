export * from "./claims.ts";
export * from "./signing-key.ts";
export * from "./mint.ts";
export * from "./verifier.ts";
export * from "./revocation.ts";
export * from "./demo-identity.ts";
