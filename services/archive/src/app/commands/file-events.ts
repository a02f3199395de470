import type pg from "pg";
import { EventEnvelope } from "@oms/contracts";
import type { EnvelopeCipher } from "../../adapters/crypto/envelope-cipher.ts";
import { dossierRepository } from "../../adapters/pg/dossier-repository.ts";
import { dossierEntryOf, type ArrivedEvent } from "../../domain/dossier.ts";

/**
 * Files events in their orders' dossiers, each with its whole envelope sealed; events
 * filed before are left as they are. Returns how many were new.
 */
export async function fileEvents(tx: pg.ClientBase, cipher: EnvelopeCipher, arrived: readonly ArrivedEvent[]): Promise<number> {
  const entries = arrived.map((event) => {
    const entry = dossierEntryOf(event);
    // Re-encoded from the decoded envelope: the consumer does not hand over the raw
    // message bytes (yet). Payload bytes are kept verbatim either way; only envelope
    // fields newer than this build would be lost (see README).
    const envelopeBytes = EventEnvelope.encode(event.envelope).finish();
    return { ...entry, envelopeSealed: cipher.seal(envelopeBytes, entry.eventId), envelopeKeyId: cipher.keyId };
  });
  return dossierRepository.fileEntries(tx, entries);
}
