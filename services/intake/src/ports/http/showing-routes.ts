/**
 * Options of the GET routes whose answer opens a customer's sealed words, each showing logged by
 * the service that opens them (ADR 024's twenty-third-session addendum): no HEAD of them. Fastify
 * would answer a HEAD from the GET's handler and send no body, so the log would name someone
 * shown words they never received.
 */
export const noHeadOfShowings = { exposeHeadRoute: false } as const;
