import { revocationsConsultedFrom, type RevokedSubjects } from "@oms/identity";
import { Counter, Gauge, type Logger, type ReadinessCheck, type Registry } from "@oms/observability";
import type { RevocationEntry } from "../adapters/pg/token-revocation-repository.ts";

/** How often every intake reads the revocations written since it last looked (ADR 022, "Withdrawing tokens"). */
export const defaultRevocationRefreshMs = 2_000;
export const REVOCATION_REFRESH_VARIABLE = "INTAKE_TOKEN_REVOCATIONS_REFRESH_MS";

export function revocationRefreshMsFromEnv(env: NodeJS.ProcessEnv = process.env): number {
  const raw = env[REVOCATION_REFRESH_VARIABLE];
  if (raw === undefined || raw === "") return defaultRevocationRefreshMs;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < 50 || value > 60_000) throw new Error(`${REVOCATION_REFRESH_VARIABLE} must be a whole number of milliseconds from 50 to 60000, got ${JSON.stringify(raw)}`);
  return value;
}

export interface TokenRevocationListDeps {
  /** The log's revocations after `afterId`, in its order, at most `limit`, none dated before `notBeforeFrom` (token-revocation-repository.ts). */
  readAfter(afterId: string, limit: number, notBeforeFrom: Date): Promise<RevocationEntry[]>;
  logger: Logger;
  registry?: Registry;
  now?: () => number;
}

/** The latest revocation of every subject, in memory: what every authenticated request is held to. */
export interface TokenRevocationList extends RevokedSubjects {
  /** Reads the log within the horizon; throws if it cannot (intake does not start without it), then rereads every `refreshMs`. */
  start(): Promise<void>;
  /** One reading of what was written since the last (the timer's; tests call it). Throws what the read threw; the list stays as it was. */
  refresh(): Promise<void>;
  /** A revocation this process wrote: held to at once, before the next reading brings it. */
  applyWritten(entry: { subject: string; notBeforeMs: number }): void;
  /** Not ready once no reading has succeeded for a while (15 refreshes, at least 30 s). */
  readiness: ReadinessCheck;
  stop(): void;
}

const pageSize = 5_000;

/**
 * Every replica keeps the latest not-before of each revoked subject and reads the log's rows
 * after the last id it saw, so a revocation written anywhere is honoured everywhere within a
 * refresh. Only revocations within `horizonSeconds` are read or kept: an older one cuts off no
 * token the verifier still accepts (`revocationsConsultedFrom`), so each reading also forgets
 * the subjects whose latest revocation has passed it — by this replica's clock, the one its
 * verifier judges a token's age by — and the list holds a horizon's revocations, not the log's.
 * A failed reading keeps the list it had, logs, counts, and after a while makes the
 * replica not ready: refusing every caller while the database is away would take the whole
 * gateway down for what is at worst a revocation honoured a few seconds late (the ADR's trade).
 */
export function tokenRevocationList(deps: TokenRevocationListDeps, options: { refreshMs: number; horizonSeconds: number }): TokenRevocationList {
  const now = deps.now ?? Date.now;
  const latest = new Map<string, number>();
  let lastId = "0";
  let readUpTo: number | undefined;
  let reading: Promise<void> | undefined;
  let failuresInARow = 0;
  let timer: NodeJS.Timeout | undefined;
  let stopped = false;
  const staleAfterMs = Math.max(30_000, 15 * options.refreshMs);
  const failureLogEvery = Math.max(1, Math.ceil(60_000 / options.refreshMs));

  const hold = (subject: string, notBeforeMs: number) => {
    const known = latest.get(subject);
    if (known === undefined || notBeforeMs > known) latest.set(subject, notBeforeMs);
  };

  const forgetBefore = (fromMs: number) => {
    for (const [subject, notBeforeMs] of latest) if (notBeforeMs < fromMs) latest.delete(subject);
  };

  const readAll = async () => {
    const startedAt = now();
    const fromMs = revocationsConsultedFrom(startedAt, options.horizonSeconds);
    for (;;) {
      const page = await deps.readAfter(lastId, pageSize, new Date(fromMs));
      for (const entry of page) hold(entry.subject, entry.notBeforeMs);
      if (page.length > 0) lastId = page.at(-1)!.revocationId;
      if (page.length < pageSize) break;
    }
    forgetBefore(fromMs);
    // What was committed when the reading began is held now: the list is as old as that.
    readUpTo = startedAt;
  };

  const refresh = () =>
    (reading ??= readAll().finally(() => {
      reading = undefined;
    }));

  const ageSeconds = () => (readUpTo === undefined ? 0 : (now() - readUpTo) / 1000);
  if (deps.registry) {
    new Gauge({
      name: "oms_intake_token_revocations_age_seconds",
      help: "How old this intake's list of withdrawn tokens is: seconds since the reading it last completed began",
      registers: [deps.registry],
      collect() {
        this.set(ageSeconds());
      },
    });
    new Gauge({
      name: "oms_intake_token_revocations_subjects",
      help: "Subjects (staff, customers, platforms) with a revocation this intake holds tokens to",
      registers: [deps.registry],
      collect() {
        this.set(latest.size);
      },
    });
  }
  const failures = deps.registry
    ? new Counter({ name: "oms_intake_token_revocation_reload_failures_total", help: "Readings of the token revocation log that failed (the last list was kept)", registers: [deps.registry] })
    : undefined;

  const tick = async () => {
    try {
      await refresh();
      if (failuresInARow > 0) deps.logger.info({ failedReadings: failuresInARow }, "token revocations read again");
      failuresInARow = 0;
    } catch (error) {
      failuresInARow++;
      failures?.inc();
      // Logged on the first failure and about once a minute after; the error is the database's (no subject in it).
      if (failuresInARow === 1 || failuresInARow % failureLogEvery === 0) {
        deps.logger.warn({ err: error, failedReadings: failuresInARow, listAgeSeconds: Math.round(ageSeconds()) }, "token revocations could not be read; the last list is kept");
      }
    }
    if (!stopped) schedule();
  };
  const schedule = () => {
    timer = setTimeout(() => void tick(), options.refreshMs);
    timer.unref();
  };

  return {
    notBeforeOf: (subject) => latest.get(subject),
    async start() {
      try {
        await refresh();
      } catch (error) {
        throw new Error(`the token revocations cannot be read, and intake does not serve callers it cannot hold to them: ${(error as Error).message}`, { cause: error });
      }
      deps.logger.info({ subjects: latest.size, refreshMs: options.refreshMs, horizonSeconds: options.horizonSeconds }, "token revocations read");
      if (!stopped) schedule();
    },
    refresh,
    applyWritten: ({ subject, notBeforeMs }) => hold(subject, notBeforeMs),
    readiness: async () => {
      if (readUpTo === undefined) return { ok: false, detail: "the token revocations have not been read" };
      const ageMs = now() - readUpTo;
      return ageMs <= staleAfterMs ? { ok: true } : { ok: false, detail: `the token revocations were last read ${Math.round(ageMs / 1000)} s ago` };
    },
    stop() {
      stopped = true;
      if (timer) clearTimeout(timer);
    },
  };
}
