/**
 * What customer service does with a case once it is open, and what its complaint timer
 * does (ADR 017): accept or decline an open case, answer a complaint once, resolve an
 * accepted case with its cause and the money going back; escalate an unanswered complaint
 * once. A step repeated by the same caller with the same content (a retry after a lost
 * answer) decides nothing: the case is answered as it is. Pure: the caller's role was
 * checked by `staffIn` before the case was locked.
 */
import { IllegalStateError, ValidationError, type FieldError } from "@oms/errors";
import { callerLabel, type CaseCaller } from "./case-callers.ts";
import { caseCauses, escalatedTo, type AfterSalesCase, type CaseCause, type CaseEvent } from "./case.ts";
import { maxTextLength } from "./policy.ts";

export type CaseCommand =
  | { type: "AcceptCase"; caller: CaseCaller; assigneeStaffId: string; note: string; now: Date }
  | { type: "DeclineCase"; caller: CaseCaller; explanation: string; now: Date }
  | { type: "AnswerComplaint"; caller: CaseCaller; answer: string; now: Date }
  | {
      type: "ResolveCase";
      caller: CaseCaller;
      resolution: string;
      cause: string;
      refundMinor: number;
      /** What the order cost, and what its other resolved cases gave back: the refund's bound. */
      order: { grandTotalMinor: number; currency: string; refundedByOtherCases: number };
      now: Date;
    }
  | { type: "FlagOverdueComplaint"; now: Date };

export function decideCase(command: CaseCommand, state: AfterSalesCase): CaseEvent[] {
  if (repeatsStepTaken(command, state)) return [];
  switch (command.type) {
    case "AcceptCase": {
      mustBe(state, "open", "accepted");
      const fields: FieldError[] = [];
      const assigneeStaffId = required(fields, "assigneeStaffId", command.assigneeStaffId, "name who handles the case");
      const note = bounded(fields, "note", command.note);
      throwIfAny(fields);
      return [{ type: "CaseAccepted", assigneeStaffId, note, by: callerLabel(command.caller), at: command.now }];
    }
    case "DeclineCase": {
      mustBe(state, "open", "declined");
      const fields: FieldError[] = [];
      const explanation = required(fields, "explanation", command.explanation, "the customer is told why");
      throwIfAny(fields);
      return [{ type: "CaseDeclined", explanation, byPolicy: false, by: callerLabel(command.caller), at: command.now }];
    }
    case "AnswerComplaint": {
      if (state.kind !== "complaint") throw new IllegalStateError("after-sales.not-a-complaint", `case ${state.caseId} is a ${state.kind}, not a complaint`);
      if (state.answeredAt) throw new IllegalStateError("after-sales.complaint-already-answered", `complaint ${state.caseId} was answered at ${state.answeredAt.toISOString()}`);
      if (state.status !== "open" && state.status !== "accepted") throw new IllegalStateError("after-sales.case-closed", `complaint ${state.caseId} is ${state.status}: there is nothing to answer`);
      const fields: FieldError[] = [];
      const answer = required(fields, "answer", command.answer, "what the customer is told");
      throwIfAny(fields);
      // Escalated means its timer found it unanswered when due: the answer is late, whatever
      // the clock says at the boundary (the answer may have waited for the timer to commit).
      const late = !!state.escalatedAt || (!!state.respondBy && command.now.getTime() > state.respondBy.getTime());
      return [{ type: "ComplaintAnswered", answer, late, by: callerLabel(command.caller), at: command.now }];
    }
    case "ResolveCase":
      return resolve(command, state);
    case "FlagOverdueComplaint": {
      // Answered, closed or escalated already: the timer changes nothing.
      if (state.kind !== "complaint" || !state.respondBy || state.answeredAt || state.escalatedAt) return [];
      if (state.status !== "open" && state.status !== "accepted") return [];
      return [{ type: "CaseOverdue", respondBy: state.respondBy, escalatedTo: [...escalatedTo], at: command.now }];
    }
    default: {
      const unknown: never = command;
      throw new Error(`unknown case command ${JSON.stringify(unknown)}`);
    }
  }
}

/**
 * Whether `command` is a step the case already took, by the same caller with the same
 * content: accepted (and perhaps since resolved) with the same assignee and note, declined
 * with the same explanation, answered with the same text, resolved with the same
 * resolution, cause and refund. Another caller or other content is no repeat, and is
 * judged (and refused) as a new step.
 */
export function repeatsStepTaken(command: CaseCommand, state: AfterSalesCase): boolean {
  switch (command.type) {
    case "AcceptCase":
      return (
        (state.status === "accepted" || state.status === "resolved") &&
        state.decidedBy === callerLabel(command.caller) &&
        state.assigneeStaffId === command.assigneeStaffId.trim() &&
        (state.decisionNote ?? "") === command.note.trim()
      );
    case "DeclineCase":
      return state.status === "declined" && state.decidedBy === callerLabel(command.caller) && state.decisionNote === command.explanation.trim();
    case "AnswerComplaint":
      return !!state.answeredAt && state.answeredBy === callerLabel(command.caller) && state.answer === command.answer.trim();
    case "ResolveCase":
      return (
        state.status === "resolved" &&
        state.resolvedBy === callerLabel(command.caller) &&
        state.resolution === command.resolution.trim() &&
        state.cause === command.cause &&
        state.refundMinor === command.refundMinor
      );
    case "FlagOverdueComplaint":
      return false;
    default: {
      const unknown: never = command;
      throw new Error(`unknown case command ${JSON.stringify(unknown)}`);
    }
  }
}

function resolve(command: Extract<CaseCommand, { type: "ResolveCase" }>, state: AfterSalesCase): CaseEvent[] {
  if (state.status !== "accepted") throw new IllegalStateError("after-sales.case-not-accepted", `case ${state.caseId} is ${state.status}; only an accepted case is resolved`);
  if (state.kind === "complaint" && !state.answeredAt) throw new IllegalStateError("after-sales.complaint-unanswered", `complaint ${state.caseId} must be answered before it is resolved`);
  const fields: FieldError[] = [];
  const resolution = required(fields, "resolution", command.resolution, "say what was done");
  const isCause = (caseCauses as readonly string[]).includes(command.cause);
  if (!isCause) fields.push({ field: "cause", message: `must be one of ${caseCauses.join(", ")}` });
  const { grandTotalMinor, currency, refundedByOtherCases } = command.order;
  const refundable = Math.max(0, grandTotalMinor - refundedByOtherCases);
  if (!Number.isSafeInteger(command.refundMinor) || command.refundMinor < 0) fields.push({ field: "refundMinor", message: "must be a whole number of minor units, 0 or more" });
  else if (command.refundMinor > refundable) {
    fields.push({
      field: "refundMinor",
      message: `must be at most ${refundable} ${currency}: the order's total of ${grandTotalMinor} less ${refundedByOtherCases} given back by its other cases`,
    });
  }
  throwIfAny(fields);
  return [{ type: "CaseResolved", resolution, cause: command.cause as CaseCause, refundMinor: command.refundMinor, by: callerLabel(command.caller), at: command.now }];
}

function mustBe(state: AfterSalesCase, status: AfterSalesCase["status"], becoming: string): void {
  if (state.status !== status) throw new IllegalStateError("after-sales.case-not-open", `case ${state.caseId} is ${state.status}; only an ${status} case is ${becoming}`);
}

function required(fields: FieldError[], field: string, value: string, why: string): string {
  const text = value.trim();
  if (!text) fields.push({ field, message: `is required: ${why}` });
  else if (text.length > maxTextLength) fields.push({ field, message: `must be at most ${maxTextLength} characters` });
  return text;
}

function bounded(fields: FieldError[], field: string, value: string): string {
  const text = value.trim();
  if (text.length > maxTextLength) fields.push({ field, message: `must be at most ${maxTextLength} characters` });
  return text;
}

function throwIfAny(fields: FieldError[]): void {
  if (fields.length > 0) throw new ValidationError(fields);
}
