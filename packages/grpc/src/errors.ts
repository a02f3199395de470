import { Metadata, status, type ServiceError } from "@grpc/grpc-js";
import {
  ConflictError,
  DomainError,
  failureKindOf,
  ForbiddenError,
  IllegalStateError,
  NotFoundError,
  UnauthenticatedError,
  UnavailableError,
  ValidationError,
  type ErrorKind,
  type FieldError,
} from "@oms/errors";

const codeOfKind: Record<ErrorKind, status> = {
  validation: status.INVALID_ARGUMENT,
  "not-found": status.NOT_FOUND,
  "illegal-state": status.FAILED_PRECONDITION,
  conflict: status.ABORTED,
  forbidden: status.PERMISSION_DENIED,
  unauthenticated: status.UNAUTHENTICATED,
  unavailable: status.UNAVAILABLE,
};

const ERROR_CODE_KEY = "oms-error-code";
const FIELD_ERRORS_KEY = "oms-field-errors";

/**
 * A domain error as a gRPC status, with its code and field errors in the trailers. Any
 * other failure is INTERNAL, unless the infrastructure could not answer (the database
 * restarting, a dropped connection, a lost race; as consumers tell it, failure-kind.ts):
 * that is UNAVAILABLE, which callers may retry (intake answers it as 503 with Retry-After).
 * Neither carries the error's own message, which may quote SQL or addresses.
 */
export function toGrpcError(error: unknown): Partial<ServiceError> {
  if (!(error instanceof DomainError)) {
    if (failureKindOf(error) === "infrastructure") return { code: status.UNAVAILABLE, details: "cannot answer now; retry" };
    return { code: status.INTERNAL, details: "internal error" };
  }
  const metadata = new Metadata();
  metadata.set(ERROR_CODE_KEY, error.code);
  if (error instanceof ValidationError) metadata.set(FIELD_ERRORS_KEY, asciiJson(error.fields));
  return { code: codeOfKind[error.kind], details: error.message, metadata };
}

/**
 * JSON that a metadata value may carry: printable ASCII only, so every other character is
 * escaped as JSON's \uXXXX, which JSON.parse reads back. A field's message may quote what
 * the caller sent (control bytes, Chinese); grpc-js refuses such a value by throwing, and
 * the call then never answered.
 */
function asciiJson(value: unknown): string {
  return JSON.stringify(value).replace(/[^\x20-\x7e]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, "0")}`);
}

/** The reverse, on the client: a gRPC failure as the domain error the server raised. */
export function fromGrpcError(error: ServiceError): DomainError | ServiceError {
  const code = String(error.metadata?.get(ERROR_CODE_KEY)[0] ?? `grpc.${status[error.code]?.toLowerCase() ?? error.code}`);
  const message = error.details || error.message;
  switch (error.code) {
    case status.INVALID_ARGUMENT: {
      const raw = error.metadata?.get(FIELD_ERRORS_KEY)[0];
      const fields = raw ? (JSON.parse(String(raw)) as FieldError[]) : [];
      return new ValidationError(fields, message, code);
    }
    case status.NOT_FOUND:
      return new NotFoundError(code, message);
    case status.FAILED_PRECONDITION:
      return new IllegalStateError(code, message);
    case status.ABORTED:
    case status.ALREADY_EXISTS:
      return new ConflictError(code, message);
    case status.PERMISSION_DENIED:
      return new ForbiddenError(code, message);
    case status.UNAUTHENTICATED:
      return new UnauthenticatedError(code, message);
    case status.UNAVAILABLE:
    case status.DEADLINE_EXCEEDED:
      return new UnavailableError(code, message, { cause: error });
    default:
      return error;
  }
}
