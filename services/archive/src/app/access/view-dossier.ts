import { eventCodecs, isKnownEventType, decodeEnvelope, type archiveApi } from "@oms/contracts";
import { NotFoundError, ValidationError, type FieldError } from "@oms/errors";
import { withTransaction } from "@oms/postgres";
import type { EnvelopeCipher } from "../../adapters/crypto/envelope-cipher.ts";
import { accessRepository } from "../../adapters/pg/access-repository.ts";
import { dossierRepository } from "../../adapters/pg/dossier-repository.ts";
import { assertMayView, callerLabel, rolesThatMayAsk, staffIn } from "../../domain/access.ts";
import type { AccessDeps } from "./access-deps.ts";

/**
 * The dossier with what each entry holds, for the person an approved request lets view it.
 * The viewing is logged in the transaction that reads the entries: no viewing goes unlogged.
 */
export async function viewDossier(deps: AccessDeps, command: archiveApi.ViewDossierRequest): Promise<archiveApi.DossierView> {
  staffIn(command.caller, rolesThatMayAsk, "view a dossier");
  const fields: FieldError[] = [];
  if (!command.orderId.trim()) fields.push({ field: "orderId", message: "is required" });
  if (!command.requestId.trim()) fields.push({ field: "requestId", message: "is required: view on an approved access request" });
  if (fields.length > 0) throw new ValidationError(fields);
  return withTransaction(deps.pool, async (tx) => {
    const request = await accessRepository.findById(tx, command.requestId);
    if (!request) throw new NotFoundError("archive.access-request-not-found", `no access request ${command.requestId}`);
    const viewer = assertMayView(request, command.orderId, command.caller, deps.clock());
    const summary = await dossierRepository.findSummary(tx, command.orderId);
    if (!summary) throw new NotFoundError("dossier.not-found", `no dossier for order ${command.orderId}`);
    const entries = await dossierRepository.listSealedEntries(tx, command.orderId);
    const records = entries.map((entry) => ({
      eventId: entry.eventId,
      eventType: entry.eventType,
      producer: entry.producer,
      occurredAt: entry.occurredAt.toISOString(),
      actor: `${entry.actor.kind}:${entry.actor.id}`,
      payloadJson: payloadJsonOf(deps.cipher, entry),
    }));
    const viewing = await accessRepository.logViewing(tx, { viewingId: deps.newId(), requestId: request.requestId, orderId: command.orderId, viewer: callerLabel(viewer), records: records.length });
    return { orderId: summary.orderId, storeId: summary.storeId, records, viewingId: viewing.viewingId };
  });
}

/**
 * What an entry says, as JSON: the payload decoded by its type's contract. An event type
 * this build does not know is shown as the bytes it carries, so nothing filed is hidden.
 */
function payloadJsonOf(cipher: EnvelopeCipher, entry: { eventId: string; eventType: string; sealed: Buffer; keyId: string }): string {
  const envelope = decodeEnvelope(cipher.open(entry.sealed, { eventId: entry.eventId, keyId: entry.keyId }));
  if (!isKnownEventType(envelope.eventType)) return JSON.stringify({ unknownEventType: envelope.eventType, payloadBase64: Buffer.from(envelope.payload).toString("base64") });
  const codec = eventCodecs[envelope.eventType] as { decode(bytes: Uint8Array): unknown; toJSON(message: unknown): unknown };
  return JSON.stringify(codec.toJSON(codec.decode(envelope.payload)));
}
