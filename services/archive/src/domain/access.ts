/**
 * Access to what a dossier holds (DOMAIN.md, Archive: "Viewing an archived order needs an
 * approved access request; every viewing is logged"). A member of staff with a business
 * need asks, giving a reason; a store manager or an auditor other than them decides; the
 * asker alone may view while the approval lasts. Pure: the clock and ids are inputs.
 */
import { ConflictError, ForbiddenError, IllegalStateError, NotFoundError, UnauthenticatedError, ValidationError, type FieldError } from "@oms/errors";

export interface AccessCaller {
  kind: string;
  id: string;
  role: string;
}

export type AccessStatus = "pending" | "approved" | "refused";

export interface AccessRequest {
  requestId: string;
  orderId: string;
  /** "<kind>:<id>" of who asked. */
  requestedBy: string;
  requesterRole: string;
  reason: string;
  requestedAt: Date;
  status: AccessStatus;
  decidedBy?: string;
  decidedAt?: Date;
  note?: string;
  /** Set on approval: the asker may view the dossier until then. */
  validUntil?: Date;
}

/** Roles whose work needs an order's records: complaints, disputes, settlement, supervision, audit. */
export const rolesThatMayAsk: ReadonlySet<string> = new Set(["customer-service", "auditor", "store-manager", "finance", "supervisor"]);
/** Roles that approve access and read who looked (DOMAIN.md: store manager / auditor, archive access approvals). */
export const rolesThatDecide: ReadonlySet<string> = new Set(["store-manager", "auditor"]);

export const maxTextLength = 500;

/** How long a request waits for approval: the need it states goes stale, so one older is asked again. */
export const pendingForMs = 7 * 24 * 3600_000;

export const callerLabel = (caller: AccessCaller) => `${caller.kind}:${caller.id}`;

/** The caller as the gateway authenticated them, who must be staff in one of `roles`. */
export function staffIn(caller: AccessCaller | undefined, roles: ReadonlySet<string>, what: string): AccessCaller {
  if (!caller || !caller.id) throw new UnauthenticatedError("caller.missing", "the request does not say who is calling");
  if (caller.kind !== "staff" || !roles.has(caller.role)) {
    throw new ForbiddenError("caller.not-permitted", `only staff in the roles ${[...roles].join(", ")} may ${what}`);
  }
  return caller;
}

export interface AskForAccess {
  requestId: string;
  orderId: string;
  caller: AccessCaller | undefined;
  reason: string;
  now: Date;
}

export const maxIdLength = 200;

/** A new pending request; the order's dossier must exist (checked by the caller of this). */
export function askForAccess(command: AskForAccess): AccessRequest {
  const caller = staffIn(command.caller, rolesThatMayAsk, "ask to view a dossier");
  const fields: FieldError[] = [];
  const requestId = command.requestId.trim();
  if (!requestId) fields.push({ field: "requestId", message: "is required: the asker's own id for this request, so a retry is not a second one" });
  else if (requestId.length > maxIdLength) fields.push({ field: "requestId", message: `must be at most ${maxIdLength} characters` });
  if (!command.orderId.trim()) fields.push({ field: "orderId", message: "is required" });
  const reason = command.reason.trim();
  if (!reason) fields.push({ field: "reason", message: "is required: say why the dossier is needed" });
  else if (reason.length > maxTextLength) fields.push({ field: "reason", message: `must be at most ${maxTextLength} characters` });
  if (fields.length > 0) throw new ValidationError(fields);
  return {
    requestId,
    orderId: command.orderId,
    requestedBy: callerLabel(caller),
    requesterRole: caller.role,
    reason,
    requestedAt: command.now,
    status: "pending",
  };
}

/**
 * Whether `asked` repeats the request already stored under its id (a retry after a lost
 * answer): the same order, asker and reason. The same id with anything else is refused,
 * naming the id, since recording it would need the id twice (ADR 015).
 */
export function isRepeatOfRequest(asked: AccessRequest, stored: AccessRequest): true {
  if (stored.orderId === asked.orderId && stored.requestedBy === asked.requestedBy && stored.reason === asked.reason) return true;
  throw new ConflictError("archive.access-request-id-taken", `access request ${asked.requestId} was already made for another order, asker or reason`);
}

export interface DecideOnAccess {
  caller: AccessCaller | undefined;
  approve: boolean;
  note: string;
  now: Date;
  /** How long an approval lasts. */
  validForMs: number;
}

/** Approves or refuses a pending request: by a store manager or an auditor who did not ask. */
export function decideOnAccess(request: AccessRequest, command: DecideOnAccess): AccessRequest {
  const caller = staffIn(command.caller, rolesThatDecide, "decide on access to a dossier");
  if (callerLabel(caller) === request.requestedBy) throw new ForbiddenError("archive.access-own-request", "nobody decides on their own access request");
  if (request.status !== "pending") throw new IllegalStateError("archive.access-already-decided", `the request was already ${request.status}`);
  if (command.approve && command.now.getTime() - request.requestedAt.getTime() > pendingForMs) {
    throw new IllegalStateError("archive.access-request-lapsed", `the request waited more than ${pendingForMs / 86_400_000} days: it can be refused, or asked again`);
  }
  const note = command.note.trim();
  if (!command.approve && !note) throw new ValidationError([{ field: "note", message: "is required when refusing: say why" }]);
  if (note.length > maxTextLength) throw new ValidationError([{ field: "note", message: `must be at most ${maxTextLength} characters` }]);
  return {
    ...request,
    status: command.approve ? "approved" : "refused",
    decidedBy: callerLabel(caller),
    decidedAt: command.now,
    ...(note ? { note } : {}),
    ...(command.approve ? { validUntil: new Date(command.now.getTime() + command.validForMs) } : {}),
  };
}

/** The one answer for an access request the caller may not know of: one nobody made and someone else's alike. */
export function accessRequestNotFound(requestId: string): NotFoundError {
  return new NotFoundError("archive.access-request-not-found", `no access request ${requestId}`);
}

/** Whether `caller` may view the dossier of `orderId` on this request now; throws why not. */
export function assertMayView(request: AccessRequest, orderId: string, caller: AccessCaller | undefined, now: Date): AccessCaller {
  const viewer = staffIn(caller, rolesThatMayAsk, "view a dossier");
  // Whose request first: someone else's request tells them nothing, not even its order, nor that it exists (twenty-eighth session).
  if (callerLabel(viewer) !== request.requestedBy) throw accessRequestNotFound(request.requestId);
  if (request.orderId !== orderId) throw new ValidationError([{ field: "requestId", message: `is a request for another order's dossier` }]);
  if (request.status !== "approved") throw new IllegalStateError("archive.access-not-approved", `the request is ${request.status}, not approved`);
  if (!request.validUntil || request.validUntil.getTime() <= now.getTime()) {
    throw new IllegalStateError("archive.access-lapsed", `the approval lapsed at ${request.validUntil?.toISOString() ?? "?"}: ask again`);
  }
  return viewer;
}
