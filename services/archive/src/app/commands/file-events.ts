import type pg from "pg";
import { EventEnvelope } from "@oms/contracts";
import type { EnvelopeCipher } from "../../adapters/crypto/envelope-cipher.ts";
import { dossierRepository } from "../../adapters/pg/dossier-repository.ts";
import { dossierEntryOf, type ArrivedEvent } from "../../domain/dossier.ts";
import { endsTheOrder } from "../../domain/retention.ts";

/** An event to file, with the envelope's bytes as they were on the topic when the caller has them. */
export interface EventToFile extends ArrivedEvent {
  envelopeBytes?: Uint8Array;
}

/**
 * Files events in their orders' dossiers, all in one statement, each with its whole
 * envelope sealed; events filed before are left as they are. Returns how many were new.
 */
export async function fileEvents(tx: pg.ClientBase, cipher: EnvelopeCipher, arrived: readonly EventToFile[]): Promise<number> {
  const entries = arrived.map((event) => {
    const entry = dossierEntryOf(event);
    // The bytes as published keep even envelope fields newer than this build; without
    // them, the decoded envelope is encoded again (payload bytes are verbatim either way).
    const envelopeBytes = event.envelopeBytes ?? EventEnvelope.encode(event.envelope).finish();
    return { ...entry, envelopeSealed: cipher.seal(envelopeBytes, entry.eventId), envelopeKeyId: cipher.keyId, endsOrder: endsTheOrder(event.envelope) };
  });
  return dossierRepository.fileEntries(tx, entries);
}
