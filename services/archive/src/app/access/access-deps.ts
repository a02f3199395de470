import type pg from "pg";
import type { EnvelopeCipher } from "../../adapters/crypto/envelope-cipher.ts";

/** What the access use cases need: the pool, the key that opens envelopes, a clock, and how long an approval lasts. */
export interface AccessDeps {
  pool: pg.Pool;
  cipher: EnvelopeCipher;
  clock: () => Date;
  approvalValidForMs: number;
  newId: () => string;
}
