import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ensureDevCertificates, type DevCertificates } from "@oms/infra";
import { loadGrpcTls, loadServiceConfig } from "@oms/service-kit";

/** A service checks its certificate at start (ADR 020): each mistake is named there, not left to fail every handshake. */
let directory: string;
let ours: DevCertificates;
let foreign: DevCertificates;

const filesOf = (certificates: DevCertificates, name: string, ca = certificates.caFile) => ({
  OMS_GRPC_TLS_CA: ca,
  OMS_GRPC_TLS_CERT: certificates.filesOf(name).cert,
  OMS_GRPC_TLS_KEY: certificates.filesOf(name).key,
});

beforeAll(async () => {
  directory = mkdtempSync(path.join(tmpdir(), "oms-tls-config-"));
  [ours, foreign] = await Promise.all([ensureDevCertificates(path.join(directory, "ours")), ensureDevCertificates(path.join(directory, "foreign"))]);
}, 60_000);

afterAll(() => {
  if (directory) rmSync(directory, { recursive: true, force: true });
});

describe("a service's gRPC certificate, checked at start", () => {
  it("is taken when it names the service, comes from the CA and matches its key; peers are then reached by name, intake alone may call", () => {
    const config = loadServiceConfig("intake", filesOf(ours, "intake"));
    expect(config.grpcTls?.allowedCallers).toEqual(["intake"]);
    expect(config.peers.billing).toMatchObject({ address: "127.0.0.1:7055", tls: { serverName: "billing" } });
    expect(config.grpcTls?.certificateValidUntil.getTime()).toBeGreaterThan(Date.now());
    // The files are followed every minute unless told otherwise (ADR 020's addendum).
    expect(config.grpcTls?.refreshIntervalMs).toBe(60_000);
    expect(loadGrpcTls("intake", { ...filesOf(ours, "intake"), OMS_GRPC_TLS_REFRESH_MS: "5000" })?.identity.refreshIntervalMs).toBe(5_000);
  });

  it("takes the allowed callers from OMS_GRPC_ALLOWED_CALLERS, and refuses a list that is not names", () => {
    expect(loadGrpcTls("billing", { ...filesOf(ours, "billing"), OMS_GRPC_ALLOWED_CALLERS: "intake, tools" })?.allowedCallers).toEqual(["intake", "tools"]);
    expect(() => loadGrpcTls("billing", { ...filesOf(ours, "billing"), OMS_GRPC_ALLOWED_CALLERS: "intake;tools" })).toThrow(/OMS_GRPC_ALLOWED_CALLERS must be certificate names/);
  });

  it("refuses another service's certificate", () => {
    expect(() => loadGrpcTls("billing", filesOf(ours, "archive"))).toThrow(/OMS_GRPC_TLS_CERT: .*archive\.crt must name billing \(CN=billing and DNS:billing\); it names CN=archive \(alternative names: DNS:archive\)/);
  });

  it("refuses a certificate from a CA it was not told to trust, and takes it once that CA is in the file too (a CA rotation)", () => {
    expect(() => loadGrpcTls("billing", filesOf(foreign, "billing", ours.caFile))).toThrow(/OMS_GRPC_TLS_CERT: .*billing\.crt is not signed by a CA in OMS_GRPC_TLS_CA/);
    const both = path.join(directory, "both-cas.crt");
    writeFileSync(both, Buffer.concat([readFileSync(ours.caFile), readFileSync(foreign.caFile)]));
    expect(loadGrpcTls("billing", filesOf(foreign, "billing", both))).toBeDefined();
  });

  it("refuses a key that is not the certificate's", () => {
    expect(() => loadGrpcTls("billing", { ...filesOf(ours, "billing"), OMS_GRPC_TLS_KEY: ours.filesOf("archive").key })).toThrow(/OMS_GRPC_TLS_KEY: .*archive\.key is not the key of the certificate/);
  });

  it("refuses an expired certificate", () => {
    const inTenYears = new Date(Date.now() + 10 * 365 * 86_400_000);
    expect(() => loadGrpcTls("billing", filesOf(ours, "billing"), inTenYears)).toThrow(/OMS_GRPC_TLS_CERT: .*billing\.crt is valid from .* to .*, not now/);
  });

  it("refuses files that are not PEM", () => {
    expect(() => loadGrpcTls("billing", { ...filesOf(ours, "billing"), OMS_GRPC_TLS_CERT: ours.filesOf("billing").key })).toThrow(/OMS_GRPC_TLS_CERT: .*billing\.key holds no PEM certificate/);
    expect(() => loadGrpcTls("billing", { ...filesOf(ours, "billing"), OMS_GRPC_TLS_KEY: ours.filesOf("billing").cert })).toThrow(/OMS_GRPC_TLS_KEY: .*billing\.crt holds no private key that can be read/);
  });
});
