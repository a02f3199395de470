import type { Logger } from "@oms/observability";
import type { ReloadingTlsIdentity, TlsReloadEvent } from "./reloading-tls-identity.ts";

/**
 * Logs a reloading identity's reloads (structured; names, serials, fingerprints and paths,
 * never key material) and tells `on.trustChanged` when a new CA bundle is served. A refused
 * or unreadable set is logged at every refresh while the files stay so: the service still
 * serves the last good set, and an operator must see that the rotation did not land.
 * Returns the way to stop.
 */
export function logTlsReloads(identity: ReloadingTlsIdentity, logger: Logger, on: { trustChanged(): void }): () => void {
  const files = identity.files;
  return identity.onReload((event: TlsReloadEvent) => {
    switch (event.kind) {
      case "taken":
        logger.info(
          { grpcTls: { changed: event.changed, certificate: event.certificate, authorities: event.authorities, files } },
          "gRPC TLS certificates reloaded: new connections use them",
        );
        if (event.changed.includes("ca")) on.trustChanged();
        return;
      case "refused":
        logger.error(
          { grpcTls: { changed: event.changed, reason: event.reason, files } },
          "gRPC TLS reload refused: the files hold a set that would not work; the last good certificates keep serving",
        );
        return;
      case "unreadable":
        logger.error(
          { grpcTls: { unreadable: event.files, files } },
          "gRPC TLS reload failed: a file cannot be read; the last good certificates keep serving",
        );
        return;
      default:
        event satisfies never;
    }
  });
}
