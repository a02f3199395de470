import { assertReadableVersion, decodeEnvelope, eventCodecs, isKnownEventType, type EventEnvelope, type archiveApi } from "@oms/contracts";
import { ValidationError, type FieldError } from "@oms/errors";
import { withTransaction } from "@oms/postgres";
import type { EnvelopeCipher } from "../../adapters/crypto/envelope-cipher.ts";
import { accessRepository } from "../../adapters/pg/access-repository.ts";
import { dossierRepository } from "../../adapters/pg/dossier-repository.ts";
import { accessRequestNotFound, assertMayView, callerLabel, rolesThatMayAsk, staffIn } from "../../domain/access.ts";
import type { AccessDeps } from "./access-deps.ts";
import { refuseMissingDossier } from "../retention/retention-views.ts";

/**
 * The dossier with what each entry holds, for the person an approved request lets view it.
 * The viewing is logged in the transaction that reads the entries: no viewing goes unlogged.
 */
export async function viewDossier(deps: AccessDeps, command: archiveApi.ViewDossierRequest): Promise<archiveApi.DossierView> {
  staffIn(command.caller, rolesThatMayAsk, "view a dossier");
  const fields: FieldError[] = [];
  const orderId = command.orderId.trim();
  const requestId = command.requestId.trim();
  if (!orderId) fields.push({ field: "orderId", message: "is required" });
  if (!requestId) fields.push({ field: "requestId", message: "is required: view on an approved access request" });
  if (fields.length > 0) throw new ValidationError(fields);
  return withTransaction(deps.pool, async (tx) => {
    const request = await accessRepository.findById(tx, requestId);
    if (!request) throw accessRequestNotFound(requestId);
    const viewer = assertMayView(request, orderId, command.caller, deps.clock());
    const summary = await dossierRepository.findSummary(tx, orderId);
    if (!summary) return refuseMissingDossier(tx, orderId);
    const entries = await dossierRepository.listSealedEntries(tx, orderId);
    const records = entries.map((entry) => ({
      eventId: entry.eventId,
      eventType: entry.eventType,
      producer: entry.producer,
      occurredAt: entry.occurredAt.toISOString(),
      actor: `${entry.actor.kind}:${entry.actor.id}`,
      payloadJson: payloadJsonOf(deps.cipher, entry),
    }));
    const viewing = await accessRepository.logViewing(tx, { viewingId: deps.newId(), requestId: request.requestId, orderId, viewer: callerLabel(viewer), records: records.length });
    return { orderId: summary.orderId, storeId: summary.storeId, records, viewingId: viewing.viewingId };
  });
}

/**
 * What an entry says, as JSON: the payload decoded by its type's contract (fields at their
 * default are left out, as protobuf's JSON does). An event type or schema version this
 * build cannot read is shown as the bytes it carries, so nothing filed is hidden; an entry
 * that cannot be opened (sealed under a key this process lacks, or changed since) is shown
 * as unreadable with the reason, and the rest of the dossier stays visible.
 */
function payloadJsonOf(cipher: EnvelopeCipher, entry: { eventId: string; eventType: string; sealed: Buffer; keyId: string }): string {
  let envelope: EventEnvelope;
  try {
    envelope = decodeEnvelope(cipher.open(entry.sealed, { eventId: entry.eventId, keyId: entry.keyId }));
  } catch (error) {
    return JSON.stringify({ unreadable: (error as { code?: string }).code ?? "archive.unreadable-envelope", detail: (error as Error).message });
  }
  const bytes = { eventType: envelope.eventType, schemaVersion: envelope.schemaVersion, payloadBase64: Buffer.from(envelope.payload).toString("base64") };
  if (!isKnownEventType(envelope.eventType)) return JSON.stringify({ unknownEventType: envelope.eventType, ...bytes });
  try {
    assertReadableVersion(envelope);
    const codec = eventCodecs[envelope.eventType] as { decode(bytes: Uint8Array): unknown; toJSON(message: unknown): unknown };
    return JSON.stringify(codec.toJSON(codec.decode(envelope.payload)));
  } catch (error) {
    return JSON.stringify({ unreadableVersion: (error as Error).message, ...bytes });
  }
}
