import { z } from "zod";
import { callerIdPattern, parseTokenSubject, type TokenSubject } from "@oms/identity";
import { queryInt, text } from "./schema-primitives.ts";

/** Bodies, queries and answers of withdrawing callers' tokens (ADR 022, "Withdrawing tokens"). */

const subjectPattern = new RegExp(`^(staff|customer|platform):${callerIdPattern.source.replace(/^\^/, "")}`);

const subject = z
  .string()
  .regex(subjectPattern, "must be staff:<id>, customer:<id> or platform:<name>, as the token's kind and sub")
  .refine((value) => value !== "customer:anonymous", "an anonymous customer has no token to withdraw")
  .meta({ description: "Whose tokens: the token's kind and sub, staff:<id>, customer:<id> or platform:<name>, whatever role or stores a token of theirs names." });

export const TokenRevocationRequestSchema = z
  .strictObject({ subject, reason: text(500).meta({ description: "Why, for the log: left the chain, role withdrawn, phone lost." }) })
  .meta({ title: "TokenRevocationRequest", description: "Withdraws every token of the subject issued until now." });

export const ListTokenRevocationsQuerySchema = z.strictObject({
  subject: subject.optional(),
  pageSize: queryInt(1, 200).optional().meta({ description: "At most this many, newest first (default 50)." }),
  before: z
    .string()
    .regex(/^[1-9][0-9]{0,17}$/, "must be a revocationId")
    .optional()
    .meta({ description: "nextBefore of the previous page: the revocations before that one." }),
});

/** The subject a parsed request names (the schema has checked it names one). */
export const subjectOf = (text: string): TokenSubject => parseTokenSubject(text)!;

const actor = z.object({ kind: z.enum(["staff", "customer", "platform"]), id: z.string(), role: z.string() });

export const TokenRevocationViewSchema = z
  .object({
    revocationId: z.string().meta({ description: "The log's position; revocations are numbered in the order they were written." }),
    subject: z.string(),
    notBefore: z.string().meta({ description: "Tokens of the subject issued up to this moment are refused (401 caller.token-revoked)." }),
    tokensAcceptedIfIssuedFrom: z.string().meta({ description: "A token's iat counts whole seconds: one issued from this moment (the next second) is accepted again." }),
    revokedBy: actor,
    reason: z.string(),
    correlationId: z.string(),
    recordedAt: z.string(),
  })
  .meta({ title: "TokenRevocation", description: "A withdrawal of a subject's tokens, as the append-only log holds it." });

export const TokenRevocationListSchema = z
  .object({ revocations: z.array(TokenRevocationViewSchema), nextBefore: z.string().optional() })
  .meta({ title: "TokenRevocationList" });
