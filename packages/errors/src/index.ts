/**
 * The one error hierarchy of the system. The domain raises these; each transport maps
 * them once (HTTP problem details in @oms/observability's http helpers, gRPC status
 * codes in @oms/grpc). Anything else that escapes is an internal error.
 */

export type ErrorKind =
  | "validation"
  | "not-found"
  | "illegal-state"
  | "conflict"
  | "forbidden"
  | "unauthenticated"
  | "unavailable";

/** One wrong field of an input, named by its path (e.g. "lines[0].quantity"). */
export interface FieldError {
  field: string;
  message: string;
}

export abstract class DomainError extends Error {
  abstract readonly kind: ErrorKind;
  /** A stable machine-readable code, e.g. "order.illegal-transition". */
  readonly code: string;

  constructor(code: string, message: string, options?: ErrorOptions) {
    super(message, options);
    this.code = code;
  }
}

export class ValidationError extends DomainError {
  readonly kind = "validation";
  readonly fields: FieldError[];

  constructor(fields: FieldError[], message = describeFields(fields), code = "validation.failed") {
    super(code, message);
    this.fields = fields;
  }
}

export class NotFoundError extends DomainError {
  readonly kind = "not-found";
}

/** The thing exists but is in a state that does not allow the request (e.g. confirming a cancelled order). */
export class IllegalStateError extends DomainError {
  readonly kind = "illegal-state";
}

/** A concurrent change or a duplicate won; retrying may succeed. */
export class ConflictError extends DomainError {
  readonly kind = "conflict";
}

export class ForbiddenError extends DomainError {
  readonly kind = "forbidden";
}

export class UnauthenticatedError extends DomainError {
  readonly kind = "unauthenticated";
}

/** A dependency (another service, a server) cannot answer now. */
export class UnavailableError extends DomainError {
  readonly kind = "unavailable";
}

const errorOfKind: Record<Exclude<ErrorKind, "validation">, new (code: string, message: string) => DomainError> = {
  "not-found": NotFoundError,
  "illegal-state": IllegalStateError,
  conflict: ConflictError,
  forbidden: ForbiddenError,
  unauthenticated: UnauthenticatedError,
  unavailable: UnavailableError,
};

/**
 * A domain error told by kind, code and message (one item's refusal in a batch answer,
 * where there is no status of its own to carry it). An unknown kind is a validation error
 * rather than an opaque failure: the caller still reads the code and message.
 */
export function domainErrorOf(kind: string, code: string, message: string): DomainError {
  const known = Object.hasOwn(errorOfKind, kind) ? errorOfKind[kind as keyof typeof errorOfKind] : undefined;
  return known ? new known(code, message) : new ValidationError([], message, code);
}

export function isDomainError(error: unknown): error is DomainError {
  return error instanceof DomainError;
}

function describeFields(fields: FieldError[]): string {
  return fields.map((f) => `${f.field}: ${f.message}`).join("; ") || "invalid input";
}

/** HTTP status per error kind, for every HTTP port. */
export const httpStatusOf: Record<ErrorKind, number> = {
  validation: 400,
  unauthenticated: 401,
  forbidden: 403,
  "not-found": 404,
  conflict: 409,
  "illegal-state": 409,
  unavailable: 503,
};

/** RFC 9457 problem details body for a domain error. */
export interface ProblemDetails {
  type: string;
  title: string;
  status: number;
  detail: string;
  code: string;
  errors?: FieldError[];
}

export function toProblemDetails(error: DomainError): ProblemDetails {
  const status = httpStatusOf[error.kind];
  return {
    type: `https://oms.example/problems/${error.kind}`,
    title: titles[error.kind],
    status,
    detail: error.message,
    code: error.code,
    ...(error instanceof ValidationError ? { errors: error.fields } : {}),
  };
}

const titles: Record<ErrorKind, string> = {
  validation: "The request has invalid fields",
  "not-found": "Not found",
  "illegal-state": "Not allowed in the current state",
  conflict: "Conflict",
  forbidden: "Forbidden",
  unauthenticated: "Authentication required",
  unavailable: "Temporarily unavailable",
};
export * from "./failure-kind.ts";
export * from "./requested-period.ts";
