/**
 * Options of the GET routes whose every answer is logged as a showing — a customer's contact and
 * flagged customers' contacts (ADR 024), a case's description and a dispute's statement (its
 * twenty-third-session addendum), a dossier viewing (ADR 016): no HEAD of them. Fastify would
 * answer a HEAD from the GET's handler and send no body, so the log would name someone shown
 * what they never received.
 */
export const noHeadOfShowings = { exposeHeadRoute: false } as const;
