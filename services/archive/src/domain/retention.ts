/**
 * How long a dossier is kept, and when it may go (ADR 029). A dossier is kept for the
 * retention years from its order's end — closed, cancelled or rejected — or from a later
 * entry (after-sales, a dispute after closing), so it is never disposed of while its order
 * still has life. A legal hold (one per matter, several at once) keeps it whatever the years say. Disposal is an auditor's
 * decision on a dossier that is due, recorded with a digest of what was destroyed.
 * Pure: the clock, the years and the sealed bytes are inputs.
 */
import { createHash } from "node:crypto";
import { EventTypes, events } from "@oms/contracts";
import { IllegalStateError, ValidationError, type FieldError } from "@oms/errors";
import { callerLabel, maxTextLength, staffIn, type AccessCaller } from "./access.ts";
import type { DossierSummary } from "./dossier.ts";

/** China's accounting archive rules (会计档案管理办法, 2015) keep vouchers 30 years; the dossier holds settlement vouchers and invoices. */
export const defaultRetentionYears = 30;
export const minRetentionYears = 1;
export const maxRetentionYears = 100;
/** The most dossiers one disposal decision may name: a decision a person can read through. */
export const maxDisposalBatch = 500;

/** Fulfillment's terminal statuses (transitions.ts): no transition leaves them. */
export const terminalStatuses: ReadonlySet<string> = new Set(["closed", "cancelled", "rejected"]);

/** Auditors keep the archive's retention: they hold, release, list and dispose. */
export const rolesThatKeepRetention: ReadonlySet<string> = new Set(["auditor"]);

/**
 * Whether the event ends its order: a change to a terminal status, a cancellation, or intake
 * rejecting it at review (an order rejected there never reaches fulfillment, and has no
 * other end). Only OrderStatusChanged's payload is read, and only for its to_status.
 */
export function endsTheOrder(envelope: { eventType: string; payload: Uint8Array }): boolean {
  switch (envelope.eventType) {
    case EventTypes.OrderCancelled:
    case EventTypes.OrderReviewRejected:
      return true;
    case EventTypes.OrderStatusChanged:
      try {
        return terminalStatuses.has(events.OrderStatusChanged.decode(envelope.payload).toStatus);
      } catch {
        // A payload this build cannot read ends nothing: the dossier is kept, never disposed of early.
        return false;
      }
    default:
      return false;
  }
}

/** What retention knows of a dossier: its summary, its end and whether it is held. */
export interface RetainedDossier extends DossierSummary {
  endedAt?: Date;
  held: boolean;
}

/** `at` plus whole calendar years, in UTC (29 February moves to 1 March in a common year). */
export function addYears(at: Date, years: number): Date {
  const moved = new Date(at.getTime());
  moved.setUTCFullYear(moved.getUTCFullYear() + years);
  return moved;
}

/** When the retention started: the end, or a later entry. Undefined while the order has not ended. */
export function retentionStart(dossier: Pick<RetainedDossier, "endedAt" | "lastEventAt">): Date | undefined {
  if (!dossier.endedAt) return undefined;
  return dossier.lastEventAt.getTime() > dossier.endedAt.getTime() ? dossier.lastEventAt : dossier.endedAt;
}

/** Until when the dossier is kept; undefined while its order has not ended. */
export function retainUntil(dossier: Pick<RetainedDossier, "endedAt" | "lastEventAt">, years: number): Date | undefined {
  const start = retentionStart(dossier);
  return start && addYears(start, years);
}

/** Whether an auditor may dispose of it now: ended, its retention passed, not held. */
export function isDue(dossier: Pick<RetainedDossier, "endedAt" | "lastEventAt" | "held">, years: number, now: Date): boolean {
  const until = retainUntil(dossier, years);
  return !dossier.held && until !== undefined && until.getTime() <= now.getTime();
}

/**
 * Why the dossier may not be disposed of now, as the refusal the decision answers for it;
 * returns its retain_until when it may.
 */
export function assertDisposable(dossier: RetainedDossier, years: number, now: Date): Date {
  const until = retainUntil(dossier, years);
  if (!until) throw new IllegalStateError("archive.retention-not-ended", `order ${dossier.orderId} has not ended: its dossier has no retention end yet`);
  if (dossier.held) throw new IllegalStateError("archive.dossier-held", `the dossier of order ${dossier.orderId} is on legal hold`);
  if (until.getTime() > now.getTime()) throw new IllegalStateError("archive.retention-not-due", `the dossier of order ${dossier.orderId} is kept until ${until.toISOString()}`);
  return until;
}

/** The reason a hold, release or disposal gives, trimmed; refused when empty or too long. */
export function reasonOf(reason: string, what: string): string {
  const trimmed = reason.trim();
  if (!trimmed) throw new ValidationError([{ field: "reason", message: `is required: say why the dossier is ${what}` }]);
  if (trimmed.length > maxTextLength) throw new ValidationError([{ field: "reason", message: `must be at most ${maxTextLength} characters` }]);
  return trimmed;
}

/** A hold or its release as the append-only record keeps it. */
export interface HoldRecord {
  orderId: string;
  action: "hold" | "release";
  /** The matter it is for (a court case, a dispute, a tax audit's reference); "" names none. */
  matter: string;
  actor: string;
  actorRole: string;
  reason: string;
  at: Date;
  correlationId: string;
}

export interface HoldCommand {
  caller: AccessCaller | undefined;
  matter: string;
  reason: string;
  now: Date;
  correlationId: string;
}

/** A matter's reference: short enough to read in a list, as a court's or an audit's reference is. */
export const maxMatterLength = 100;

/** The matter a hold or release names, trimmed; "" when it names none. */
export function matterOf(matter: string): string {
  const trimmed = matter.trim();
  if (trimmed.length > maxMatterLength) throw new ValidationError([{ field: "matter", message: `must be at most ${maxMatterLength} characters` }]);
  return trimmed;
}

const matterLabel = (matter: string) => (matter ? `matter ${JSON.stringify(matter)}` : "a hold that names no matter");

/**
 * The matters holding the dossier now, in the order they were put on: each matter's last
 * record is a hold. Several matters (two court cases, a tax audit) may hold one dossier; it
 * is kept while any of them does.
 */
export function openMattersOf(holds: readonly HoldRecord[]): string[] {
  const open = new Set<string>();
  for (const hold of holds) {
    if (hold.action === "hold") open.add(hold.matter);
    else open.delete(hold.matter);
  }
  return [...open];
}

/**
 * Puts the dossier on hold for a matter, or lifts one matter's hold: an auditor, with a
 * reason. A matter already holding it is refused, as is a release of a matter that does not;
 * a release naming no matter lifts only a hold that named none, so releasing one court
 * case's hold never lifts another's by accident.
 */
export function changeHold(dossier: RetainedDossier, openMatters: readonly string[], action: HoldRecord["action"], command: HoldCommand): HoldRecord {
  const caller = staffIn(command.caller, rolesThatKeepRetention, action === "hold" ? "put a dossier on legal hold" : "release a dossier's legal hold");
  const reason = reasonOf(command.reason, action === "hold" ? "held" : "released");
  const matter = matterOf(command.matter);
  const isOpen = openMatters.includes(matter);
  if (action === "hold" && isOpen) {
    throw new IllegalStateError("archive.dossier-already-held", `the dossier of order ${dossier.orderId} is already on legal hold for ${matterLabel(matter)}`);
  }
  if (action === "release" && openMatters.length === 0) throw new IllegalStateError("archive.dossier-not-held", `the dossier of order ${dossier.orderId} is not on legal hold`);
  if (action === "release" && !isOpen) {
    const named = openMatters.map(matterLabel).join(", ");
    throw new IllegalStateError("archive.hold-matter-not-open", `the dossier of order ${dossier.orderId} is not held for ${matterLabel(matter)}; it is held for ${named}: name the matter whose hold is lifted`);
  }
  return { orderId: dossier.orderId, action, matter, actor: callerLabel(caller), actorRole: caller.role, reason, at: command.now, correlationId: command.correlationId };
}

/**
 * Whether the step is a retry of the one its matter last recorded (an answer lost on the way):
 * the same action on the same matter, by the same person, for the same reason. It is answered
 * as the dossier stands, writing nothing; a different person or reason is a step of its own
 * (and refused by `changeHold` as the state has it).
 */
export function isRepeatOfLastHoldStep(history: readonly HoldRecord[], action: HoldRecord["action"], command: HoldCommand): boolean {
  if (!command.caller) return false;
  const matter = command.matter.trim();
  const last = history.findLast((record) => record.matter === matter);
  return last !== undefined && last.action === action && last.actor === callerLabel(command.caller) && last.reason === command.reason.trim();
}

/** The order ids a disposal names, checked: 1 to 500, none empty, each once. */
export function disposalIdsOf(orderIds: readonly string[]): string[] {
  const fields: FieldError[] = [];
  if (orderIds.length === 0) fields.push({ field: "orderIds", message: "name at least one order whose dossier is to be disposed of" });
  if (orderIds.length > maxDisposalBatch) fields.push({ field: "orderIds", message: `name at most ${maxDisposalBatch} orders in one decision` });
  const seen = new Set<string>();
  orderIds.forEach((orderId, index) => {
    if (!orderId.trim()) fields.push({ field: `orderIds[${index}]`, message: "is empty" });
    else if (seen.has(orderId)) fields.push({ field: `orderIds[${index}]`, message: `names order ${orderId} a second time` });
    seen.add(orderId);
  });
  if (fields.length > 0) throw new ValidationError(fields);
  return [...orderIds];
}

/** A sealed entry as the digest reads it. */
export interface SealedForDigest {
  eventId: string;
  sealed: Uint8Array;
}

/**
 * "sha256:<hex>" over the sealed entries in dossier order (occurred_at, then filing order):
 * for each, the event id's UTF-8 bytes and the sealed envelope, each preceded by its length
 * as a 4-byte big-endian number, so no two different dossiers read alike. Anyone holding a
 * copy of the entries (a backup, an export) can recompute it and prove what was destroyed.
 */
export function dossierDigest(entries: readonly SealedForDigest[]): string {
  const hash = createHash("sha256");
  const length = Buffer.alloc(4);
  for (const entry of entries) {
    const id = Buffer.from(entry.eventId, "utf8");
    length.writeUInt32BE(id.length);
    hash.update(length).update(id);
    length.writeUInt32BE(entry.sealed.length);
    hash.update(length).update(entry.sealed);
  }
  return `sha256:${hash.digest("hex")}`;
}

/** A disposal as its record keeps it for good. */
export interface DisposalRecord {
  disposalId: string;
  orderId: string;
  storeId: string;
  firstEventAt: Date;
  lastEventAt: Date;
  endedAt: Date;
  retainUntil: Date;
  entryCount: number;
  digest: string;
  decidedBy: string;
  deciderRole: string;
  reason: string;
  disposedAt: Date;
  correlationId: string;
}

export interface DisposalDecision {
  disposalId: string;
  caller: AccessCaller;
  reason: string;
  now: Date;
  correlationId: string;
  years: number;
}

/** The record of disposing of a dossier now, re-checked on what is read under its lock; the digest is of the entries about to be deleted. */
export function disposalOf(dossier: RetainedDossier, entries: readonly SealedForDigest[], decision: DisposalDecision): DisposalRecord {
  const until = assertDisposable(dossier, decision.years, decision.now);
  if (entries.length !== dossier.entryCount) {
    throw new IllegalStateError("archive.dossier-count-mismatch", `the dossier of order ${dossier.orderId} lists ${dossier.entryCount} entries but ${entries.length} were read: not disposed of`);
  }
  return {
    disposalId: decision.disposalId,
    orderId: dossier.orderId,
    storeId: dossier.storeId,
    firstEventAt: dossier.firstEventAt,
    lastEventAt: dossier.lastEventAt,
    endedAt: dossier.endedAt as Date,
    retainUntil: until,
    entryCount: entries.length,
    digest: dossierDigest(entries),
    decidedBy: callerLabel(decision.caller),
    deciderRole: decision.caller.role,
    reason: decision.reason,
    disposedAt: decision.now,
    correlationId: decision.correlationId,
  };
}
