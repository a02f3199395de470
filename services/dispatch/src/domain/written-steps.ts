/**
 * A service record and a service exception are written under the caller's own id, unique
 * within the task, so that a retry after a timeout is known for what it is: the same content
 * under an id the task already holds is that retry, and nothing is written, announced or
 * moved again; other content under it is refused, since writing it would need the id twice
 * and dropping it would lose what the caller meant to say. Pure.
 */
import { IllegalStateError } from "@oms/errors";
import type { ServiceCommand } from "./service-visit.ts";

/** The caller's id a command writes under, and what it names. */
export interface StepId {
  step: "record" | "exception";
  id: string;
}

/** A service record as its writer sent it: what a retry under its id repeats. */
export interface RecordContent {
  staffId: string;
  startedAt: Date;
  finishedAt: Date;
  content: string;
  customerRemarks: string;
  photoRefs: string[];
}

/** A service exception as its reporter sent it: what a retry under its id repeats. */
export interface ExceptionContent {
  staffId: string;
  kind: string;
  cause: string;
  measure: string;
  newTime?: Date;
}

/** What the task already holds under a command's step id. */
export type WrittenStep = ({ step: "record" } & RecordContent) | ({ step: "exception" } & ExceptionContent);

const recordFields = ["staffId", "startedAt", "finishedAt", "content", "customerRemarks", "photoRefs"] as const satisfies readonly (keyof RecordContent)[];
const exceptionFields = ["staffId", "kind", "cause", "measure", "newTime"] as const satisfies readonly (keyof ExceptionContent)[];

/** The caller's id a command writes under (records and exceptions); the other steps carry none. */
export function stepIdOf(command: ServiceCommand): StepId | undefined {
  if (command.type === "WriteServiceRecord") return { step: "record", id: command.recordId };
  if (command.type === "ReportServiceException") return { step: "exception", id: command.exceptionId };
  return undefined;
}

/** Whether the record is a retry of the one written under its id; a different one under that id is refused. */
export function isRepeatOfRecord(taskId: string, sent: RecordContent & { recordId: string }, written: WrittenStep | undefined): boolean {
  // Records and exceptions are named apart: an exception's id says nothing about records.
  if (written?.step !== "record") return false;
  const differing = recordFields.filter((f) => !sameValue(sent[f], written[f]));
  if (differing.length === 0) return true;
  throw new IllegalStateError(
    "dispatch.record-id-reused",
    `task ${taskId} already has a record ${sent.recordId} with another ${differing.join(", ")}: a new record needs an id of its own`,
  );
}

/** Whether the exception is a retry of the one reported under its id; a different one under that id is refused. */
export function isRepeatOfException(taskId: string, sent: ExceptionContent & { exceptionId: string }, written: WrittenStep | undefined): boolean {
  if (written?.step !== "exception") return false;
  const differing = exceptionFields.filter((f) => !sameValue(sent[f], written[f]));
  if (differing.length === 0) return true;
  throw new IllegalStateError(
    "dispatch.exception-id-reused",
    `task ${taskId} already has an exception ${sent.exceptionId} with another ${differing.join(", ")}: a new report needs an id of its own`,
  );
}

function sameValue(sent: unknown, written: unknown): boolean {
  if (sent instanceof Date || written instanceof Date) return sent instanceof Date && written instanceof Date && sent.getTime() === written.getTime();
  if (Array.isArray(sent) && Array.isArray(written)) return sent.length === written.length && sent.every((item, i) => item === written[i]);
  return sent === written;
}
