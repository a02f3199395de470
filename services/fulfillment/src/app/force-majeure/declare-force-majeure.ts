import type pg from "pg";
import type { fulfillmentApi } from "@oms/contracts";
import { ConflictError, ValidationError, type FieldError } from "@oms/errors";
import type { OutboxWriter } from "@oms/messaging";
import type { Logger } from "@oms/observability";
import { withTransaction } from "@oms/postgres";
import { forceMajeureRepository, type ForceMajeureDeclaration } from "../../adapters/pg/force-majeure-repository.ts";
import { assertMayDeclare, forceMajeureKinds, isAffectedBy } from "../../domain/force-majeure.ts";
import { forceMajeureHoldable } from "../../domain/transitions.ts";
import { actorOf } from "../caller.ts";
import { OrderUnitOfWork } from "../order-unit-of-work.ts";
import { declaredOf, viewsOf } from "./declaration-view.ts";

/** The caller's id for a declaration, in characters: the gateway's bound (`EventIdParamsSchema`). */
const maxEventIdLength = 128;

/** A declaration may say it began a little ahead of the server's clock, not later. */
const CLOCK_SKEW_MS = 5 * 60_000;

/**
 * Declares force majeure over a store (or some of its districts) and holds its open orders,
 * in one transaction under the store's lock (ADR 027). Sent again under the same id with the
 * same content it answers the declaration as it stands and holds nothing twice; with other
 * content it is refused (ADR 015).
 */
export async function declareForceMajeure(pool: pg.Pool, outbox: OutboxWriter, logger: Logger, request: fulfillmentApi.DeclareForceMajeureRequest): Promise<fulfillmentApi.ForceMajeureView> {
  const actor = actorOf(request.caller);
  assertMayDeclare(actor);
  const wanted = validDeclaration(request, `${actor.kind}:${actor.id}`);
  return withTransaction(pool, async (tx) => {
    await forceMajeureRepository.lockStoreExclusively(tx, wanted.storeId);
    const { declaration, created } = await forceMajeureRepository.insertOrFind(tx, wanted);
    if (!created) {
      assertSameDeclaration(declaration, wanted);
      return (await viewsOf(tx, [declaration]))[0]!;
    }
    const declared = declaredOf(declaration);
    const unit = new OrderUnitOfWork(tx);
    const candidates = await forceMajeureRepository.candidateOrderIds(tx, declaration, [...forceMajeureHoldable]);
    await unit.load(candidates);
    let held = 0;
    const at = new Date().toISOString();
    for (const orderId of candidates) {
      const order = unit.current(orderId);
      if (!order || !isAffectedBy(order, declared)) continue;
      await unit.execute(orderId, { type: "HoldForForceMajeure", declaration: declared, at, actor }, { actor, correlationId: request.correlationId });
      held++;
    }
    await unit.flush(outbox);
    logger.info({ eventId: declaration.eventId, storeId: declaration.storeId, districts: declaration.districts.length, held, correlationId: request.correlationId }, "force majeure declared");
    return (await viewsOf(tx, [declaration]))[0]!;
  });
}

function validDeclaration(request: fulfillmentApi.DeclareForceMajeureRequest, declaredBy: string): Omit<ForceMajeureDeclaration, "declaredAt"> {
  const errors: FieldError[] = [];
  const from = Date.parse(request.from);
  const until = request.expectedUntil ? Date.parse(request.expectedUntil) : undefined;
  if (!request.eventId.trim()) errors.push({ field: "eventId", message: "is required (the caller's id for the declaration)" });
  // As the gateway bounds it: a longer id could not be named in the declarations' page token (ADR 033).
  else if ([...request.eventId.trim()].length > maxEventIdLength) errors.push({ field: "eventId", message: `must be at most ${maxEventIdLength} characters long` });
  if (!request.storeId.trim()) errors.push({ field: "storeId", message: "is required" });
  if (!(forceMajeureKinds as readonly string[]).includes(request.kind)) errors.push({ field: "kind", message: `must be one of ${forceMajeureKinds.join(", ")}` });
  if (!request.cause.trim()) errors.push({ field: "cause", message: "is required: what customers are told" });
  if (Number.isNaN(from)) errors.push({ field: "from", message: "must be a date-time" });
  else if (from > Date.now() + CLOCK_SKEW_MS) errors.push({ field: "from", message: "must not be in the future: declare force majeure when it begins" });
  if (until !== undefined && (Number.isNaN(until) || (!Number.isNaN(from) && until <= from))) errors.push({ field: "expectedUntil", message: "must be a date-time after from" });
  if (errors.length > 0) throw new ValidationError(errors);
  return {
    eventId: request.eventId.trim(),
    storeId: request.storeId.trim(),
    districts: [...new Set(request.districts.map((d) => d.trim()).filter(Boolean))].sort(),
    kind: request.kind,
    cause: request.cause.trim(),
    from: new Date(from),
    ...(until !== undefined ? { expectedUntil: new Date(until) } : {}),
    declaredBy,
  };
}

function assertSameDeclaration(stored: ForceMajeureDeclaration, wanted: Omit<ForceMajeureDeclaration, "declaredAt">): void {
  const same =
    stored.storeId === wanted.storeId &&
    stored.kind === wanted.kind &&
    stored.cause === wanted.cause &&
    stored.from.getTime() === wanted.from.getTime() &&
    (stored.expectedUntil?.getTime() ?? 0) === (wanted.expectedUntil?.getTime() ?? 0) &&
    [...stored.districts].sort().join("\n") === wanted.districts.join("\n");
  if (!same) throw new ConflictError("force-majeure.id-in-use", `force majeure ${stored.eventId} was declared already, for ${stored.storeId} (${stored.kind}), with other content`);
}
