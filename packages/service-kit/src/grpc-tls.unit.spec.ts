import { describe, expect, it } from "vitest";
import { loadServiceConfig } from "./config.ts";
import { loadGrpcTls } from "./grpc-tls.ts";

describe("gRPC mutual TLS configuration", () => {
  it("is plaintext when none of the files is named, and the peers are bare addresses", () => {
    const config = loadServiceConfig("intake", {});
    expect(config.grpcTls).toBeUndefined();
    expect(config.peers.billing).toEqual({ address: "127.0.0.1:7055" });
  });

  it("refuses a service given some of the files, naming those missing", () => {
    expect(() => loadGrpcTls("billing", { OMS_GRPC_TLS_CA: "/etc/oms/ca.crt" })).toThrow(
      "OMS_GRPC_TLS_CERT, OMS_GRPC_TLS_KEY are not set (mutual TLS needs all three of OMS_GRPC_TLS_CA, OMS_GRPC_TLS_CERT and OMS_GRPC_TLS_KEY)",
    );
    expect(() => loadGrpcTls("billing", { OMS_GRPC_TLS_CA: "/etc/oms/ca.crt", OMS_GRPC_TLS_CERT: "/etc/oms/billing.crt" })).toThrow("OMS_GRPC_TLS_KEY is not set");
  });

  it("refuses to start in plaintext when told TLS is required", () => {
    expect(() => loadServiceConfig("archive", { OMS_GRPC_TLS: "required" })).toThrow("OMS_GRPC_TLS_CA, OMS_GRPC_TLS_CERT, OMS_GRPC_TLS_KEY are not set (OMS_GRPC_TLS=required)");
  });

  it("takes no other mode than required", () => {
    expect(() => loadGrpcTls("archive", { OMS_GRPC_TLS: "yes" })).toThrow('OMS_GRPC_TLS must be "required" or unset, got "yes"');
  });

  it("names the variable and the path of a file it cannot read", () => {
    const env = { OMS_GRPC_TLS_CA: "/nonexistent/ca.crt", OMS_GRPC_TLS_CERT: "/nonexistent/billing.crt", OMS_GRPC_TLS_KEY: "/nonexistent/billing.key" };
    expect(() => loadGrpcTls("billing", env)).toThrow("OMS_GRPC_TLS_CA: cannot read /nonexistent/ca.crt (ENOENT)");
  });

  it("refuses a refresh interval that is not a whole number of milliseconds in range, naming the variable, even in plaintext", () => {
    for (const raw of ["soon", "60s", "1.5", "50", "-1", "86400001"]) {
      expect(() => loadGrpcTls("billing", { OMS_GRPC_TLS_REFRESH_MS: raw })).toThrow(
        `OMS_GRPC_TLS_REFRESH_MS must be a whole number of milliseconds from 100 to 86400000, got ${JSON.stringify(raw)}`,
      );
    }
    expect(loadGrpcTls("billing", { OMS_GRPC_TLS_REFRESH_MS: "100" })).toBeUndefined();
  });
});
