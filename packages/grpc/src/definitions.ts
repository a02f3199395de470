import type { Metadata } from "@grpc/grpc-js";

/** The shape ts-proto generates for one unary method of a service definition. */
export interface UnaryMethodDefinition<Req, Res> {
  path: string;
  requestStream: false;
  responseStream: false;
  requestSerialize(value: Req): Buffer;
  requestDeserialize(value: Buffer): Req;
  responseSerialize(value: Res): Buffer;
  responseDeserialize(value: Buffer): Res;
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type AnyServiceDefinition = Record<string, UnaryMethodDefinition<any, any>>;

export type RequestOf<M> = M extends UnaryMethodDefinition<infer Req, unknown> ? Req : never;
export type ResponseOf<M> = M extends UnaryMethodDefinition<unknown, infer Res> ? Res : never;

export interface CallContext {
  metadata: Metadata;
  /** The correlation id the caller sent, or a fresh one. */
  correlationId: string;
}

/** A service implemented as plain async functions, one per method. */
export type UnaryImplementation<S extends AnyServiceDefinition> = {
  [K in keyof S]: (request: RequestOf<S[K]>, context: CallContext) => Promise<ResponseOf<S[K]>>;
};
