import { randomUUID } from "node:crypto";
import { BinaryWriter, WireType } from "@bufbuild/protobuf/wire";
import { Client, Metadata, status, type ServiceError } from "@grpc/grpc-js";
import fc from "fast-check";
import { afterSalesApi, archiveApi, billingApi, dispatchApi, fulfillmentApi, warehouseApi } from "@oms/contracts";
import { clientChannelOf, type AnyServiceDefinition, type GrpcPeer, type UnaryMethodDefinition } from "@oms/grpc";
import type { RunningStack } from "@oms/infra";
import { staffRoles, type KnownIds } from "./endpoint-properties.ts";
import { failureOf, type FuzzFigure } from "./http-properties.ts";
import type { RefusalWatch } from "./refusals.ts";

/**
 * Every gRPC method of the six services that serve one, fuzzed on the wire: staff tools
 * call these directly. Requests are random protobuf fields of every wire type — sent as
 * they are, so each server must survive bytes no generated client would write — and
 * requests of the method's own type with random values, ids the system knows and callers
 * of every role, so they get past the first checks. The answer is a result or a clear
 * refusal (invalid argument, not found, failed precondition, conflict, permission,
 * authentication); never INTERNAL, UNKNOWN, a missed deadline or a dropped call.
 */
const apisByService = {
  fulfillment: fulfillmentApi,
  warehouse: warehouseApi,
  dispatch: dispatchApi,
  billing: billingApi,
  archive: archiveApi,
  "after-sales": afterSalesApi,
} as const;

export type GrpcService = keyof typeof apisByService;

export interface GrpcMethod {
  service: GrpcService;
  name: string;
  definition: UnaryMethodDefinition<unknown, unknown>;
}

const clearRefusals = new Set([
  status.INVALID_ARGUMENT,
  status.NOT_FOUND,
  status.ALREADY_EXISTS,
  status.PERMISSION_DENIED,
  status.FAILED_PRECONDITION,
  status.ABORTED,
  status.UNAUTHENTICATED,
]);

/** Each service's gRPC server as the stack's tools reach it (mutual TLS with their certificate). */
export function grpcPeersOf(stack: RunningStack): Record<GrpcService, GrpcPeer> {
  return Object.fromEntries(Object.keys(apisByService).map((service) => [service, stack.services[service as GrpcService].grpc])) as Record<GrpcService, GrpcPeer>;
}

/** Every unary method of every service definition the contracts export. */
export function grpcMethods(): GrpcMethod[] {
  return Object.entries(apisByService).flatMap(([service, api]) =>
    Object.values(api)
      .filter(isServiceDefinition)
      .flatMap((definition) => Object.entries(definition).map(([name, method]) => ({ service: service as GrpcService, name, definition: method }))),
  );
}

function isServiceDefinition(value: unknown): value is AnyServiceDefinition {
  if (typeof value !== "object" || value === null) return false;
  const methods = Object.values(value);
  return methods.length > 0 && methods.every((m) => typeof (m as { path?: unknown }).path === "string" && typeof (m as { requestSerialize?: unknown }).requestSerialize === "function");
}

/** One protobuf field on the wire, of any wire type, nested messages included. */
export type WireField = {
  field: number;
  value: { kind: "varint"; n: bigint } | { kind: "text"; text: string } | { kind: "bytes"; data: Uint8Array } | { kind: "message"; fields: WireField[] } | { kind: "fixed32"; n: number } | { kind: "fixed64"; n: bigint };
};

const wire = fc.letrec<{ fields: WireField[]; field: WireField }>((tie) => ({
  fields: fc.array(tie("field"), { maxLength: 8 }),
  field: fc.record({
    field: fc.integer({ min: 1, max: 16 }),
    value: fc.oneof(
      { maxDepth: 3, depthSize: "small" },
      fc.oneof(fc.bigInt({ min: 0n, max: 1000n }), fc.bigInt({ min: 0n, max: 2n ** 64n - 1n })).map((n) => ({ kind: "varint" as const, n })),
      fc.string({ maxLength: 40 }).map((text) => ({ kind: "text" as const, text })),
      fc.uint8Array({ maxLength: 40 }).map((data) => ({ kind: "bytes" as const, data })),
      fc.integer({ min: 0, max: 2 ** 32 - 1 }).map((n) => ({ kind: "fixed32" as const, n })),
      fc.bigInt({ min: 0n, max: 2n ** 64n - 1n }).map((n) => ({ kind: "fixed64" as const, n })),
      tie("fields").map((fields) => ({ kind: "message" as const, fields: fields as WireField[] })),
    ),
  }),
}));

export function encodeWire(fields: readonly WireField[]): Uint8Array {
  const writer = new BinaryWriter();
  for (const { field, value } of fields) {
    if (value.kind === "varint") writer.tag(field, WireType.Varint).uint64(value.n);
    else if (value.kind === "text") writer.tag(field, WireType.LengthDelimited).string(value.text);
    else if (value.kind === "bytes") writer.tag(field, WireType.LengthDelimited).bytes(value.data);
    else if (value.kind === "message") writer.tag(field, WireType.LengthDelimited).bytes(encodeWire(value.fields));
    else if (value.kind === "fixed32") writer.tag(field, WireType.Bit32).fixed32(value.n);
    else writer.tag(field, WireType.Bit64).fixed64(value.n);
  }
  return writer.finish();
}


/**
 * The request as the method's own type would carry it: random wire decoded by the
 * method's decoder, then, when `known`, its ids replaced by ones the system holds and its
 * caller by a member of staff with the picked role. Undefined when the decoder refuses
 * the bytes (those are sent raw instead).
 */
export function typedRequest(method: GrpcMethod, fields: readonly WireField[], known: KnownIds | undefined, pick: number, correlationId = ""): TypedRequest | undefined {
  let request: unknown;
  try {
    request = method.definition.requestDeserialize(Buffer.from(encodeWire(fields)));
  } catch {
    return undefined;
  }
  if (known) withKnownValues(request, known, pick);
  // The request's events carry this id: a refused call's may be looked for on the topics.
  const named = correlationId !== "" && typeof request === "object" && request !== null && "correlationId" in request;
  if (named) (request as { correlationId: string }).correlationId = correlationId;
  return { bytes: method.definition.requestSerialize(request), correlationId: named ? correlationId : "" };
}

export interface TypedRequest {
  bytes: Buffer;
  /** The correlation id the request names; empty when its type has no such field. */
  correlationId: string;
}

function withKnownValues(node: unknown, known: KnownIds, pick: number): void {
  if (typeof node !== "object" || node === null) return;
  const record = node as Record<string, unknown>;
  const role = staffRoles[pick % staffRoles.length]!;
  const staffId = known.staffId?.[pick % Math.max(1, known.staffId.length)] ?? "s-1";
  for (const [key, value] of Object.entries(record)) {
    const ids = known[key];
    if (ids?.length && (typeof value === "string" || value === undefined)) record[key] = ids[pick % ids.length];
    else if (key === "caller") record[key] = { kind: "staff", id: staffId, role };
    else if (key === "callerKind") record[key] = "staff";
    else if (key === "callerId") record[key] = staffId;
    else if (key === "callerRole") record[key] = role;
    else if (typeof value === "object") withKnownValues(value, known, pick);
  }
}

interface Answer {
  code: number;
  details: string;
}

function call(client: Client, method: GrpcMethod, bytes: Buffer, deadlineMs: number): Promise<Answer> {
  return new Promise((resolve) => {
    client.makeUnaryRequest(
      method.definition.path,
      (b: Buffer) => b,
      (b: Buffer) => method.definition.responseDeserialize(b),
      bytes,
      new Metadata(),
      { deadline: new Date(Date.now() + deadlineMs) },
      (error: ServiceError | null) => resolve(error ? { code: error.code, details: error.details } : { code: status.OK, details: "" }),
    );
  });
}

export async function fuzzGrpcMethods(
  peers: Record<GrpcService, GrpcPeer>,
  known: KnownIds,
  runsPerMethod: number,
  log: (message: string) => void = () => {},
  watch?: RefusalWatch,
): Promise<FuzzFigure> {
  const name = "every gRPC method: a result or a clear refusal, never INTERNAL, UNKNOWN or a missed deadline";
  const methods = grpcMethods();
  const codes = new Map<string, number>();
  const clients = new Map(
    Object.entries(peers).map(([service, peer]) => {
      const channel = clientChannelOf(peer);
      return [service, new Client(channel.address, channel.credentials, channel.options)];
    }),
  );
  try {
    for (const method of methods) {
      const client = clients.get(method.service)!;
      const started = Date.now();
      await fc.assert(
        fc.asyncProperty(wire.fields, fc.constantFrom("raw", "typed", "typed with known ids"), fc.nat(), async (fields, shape, pick) => {
          const typed = shape === "raw" ? undefined : typedRequest(method, fields, shape === "typed" ? undefined : known, pick, randomUUID());
          const bytes = typed?.bytes ?? Buffer.from(encodeWire(fields));
          const send = () => call(client, method, bytes, 10_000);
          const refusalOf = (answer: Answer) =>
            answer.code === status.OK ? undefined : { label: `${method.definition.path} (${typed ? shape : "raw"}): ${status[answer.code] ?? answer.code}`, correlationId: typed?.correlationId ?? "" };
          const answer = watch ? await watch.send(send, refusalOf) : await send();
          const label = status[answer.code] ?? String(answer.code);
          codes.set(label, (codes.get(label) ?? 0) + 1);
          if (answer.code !== status.OK && !clearRefusals.has(answer.code)) {
            throw new Error(`${method.definition.path} (${typed ? shape : "raw"} request, ${bytes.length} bytes): ${label} ${answer.details.slice(0, 200)}`);
          }
        }),
        // Each run is a round trip: the first counterexample is reported as found, not shrunk.
        { numRuns: runsPerMethod, endOnFailure: true },
      );
      log(`${method.definition.path}: ${runsPerMethod} calls in ${Date.now() - started} ms`);
    }
    const answers = [...codes].sort((a, b) => b[1] - a[1]).map(([code, count]) => `${code}×${count}`).join(", ");
    return { name, runs: methods.length * runsPerMethod, figure: `${methods.length} methods × ${runsPerMethod} calls: ${answers}`, ok: true };
  } catch (error) {
    return { name, runs: methods.length * runsPerMethod, figure: failureOf(error), ok: false };
  } finally {
    for (const client of clients.values()) client.close();
  }
}
