import { describe, expect, it } from "vitest";
import { compileCacheSettings, grpcTlsSettings, repositoryRoot, serviceMemorySettings } from "./stack.ts";

describe("the launcher's process settings", () => {
  it("keeps memory near the live set by default, and lets the V8 flags be replaced while a caller's own options stay", () => {
    expect(serviceMemorySettings({}, "fulfillment")).toEqual({ MALLOC_ARENA_MAX: "2", NODE_OPTIONS: "--max-semi-space-size=4 --max-old-space-size=256" });
    expect(serviceMemorySettings({ OMS_SERVICE_NODE_OPTIONS: "--max-old-space-size=512", NODE_OPTIONS: "--cpu-prof", MALLOC_ARENA_MAX: "4" }, "intake")).toEqual({
      MALLOC_ARENA_MAX: "4",
      NODE_OPTIONS: "--max-old-space-size=512 --cpu-prof",
    });
  });

  it("gives intake, which holds hundreds of requests in flight, a larger young generation than the services behind it", () => {
    expect(serviceMemorySettings({}, "intake").NODE_OPTIONS).toBe("--max-semi-space-size=8 --max-old-space-size=256");
    expect(serviceMemorySettings({}, "dispatch").NODE_OPTIONS).toBe("--max-semi-space-size=4 --max-old-space-size=256");
  });

  it("gives the services a compile cache of their own under .runtime, unless the caller names one", () => {
    expect(compileCacheSettings({})).toEqual({ NODE_COMPILE_CACHE: `${repositoryRoot}/.runtime/node-compile-cache` });
    expect(compileCacheSettings({ NODE_COMPILE_CACHE: "/var/cache/oms" })).toEqual({ NODE_COMPILE_CACHE: "/var/cache/oms" });
  });

  it("gives each service its own certificate, requires mutual TLS, and lets the stack's tools call besides intake", () => {
    const certificates = { directory: "/certs", caFile: "/certs/ca.crt", filesOf: (name: string) => ({ cert: `/certs/${name}.crt`, key: `/certs/${name}.key` }) };
    expect(grpcTlsSettings(certificates, "after-sales")).toEqual({
      OMS_GRPC_TLS: "required",
      OMS_GRPC_TLS_CA: "/certs/ca.crt",
      OMS_GRPC_TLS_CERT: "/certs/after-sales.crt",
      OMS_GRPC_TLS_KEY: "/certs/after-sales.key",
      OMS_GRPC_ALLOWED_CALLERS: "intake,tools",
    });
  });
});
