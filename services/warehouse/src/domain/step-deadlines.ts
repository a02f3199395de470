import { ValidationError } from "@oms/errors";
import type { Reservation } from "./reservation.ts";
import { PICKUP, type ShipmentEvent } from "./shipment.ts";

/**
 * The time nodes of a shipment's way out (DOMAIN.md, Tracking): once a reservation is
 * ready to pick it must be picked within a while, once picked packed, once packed shipped.
 * A step still not done at its deadline warns the store's warehouse clerks (level 1); still
 * not done a while later, it is escalated to the store manager (level 2). Each level at most
 * once per step; nothing for a step done in time or a reservation released. Pure: the clock
 * comes in, and the adapter locks the deadline the decision is about.
 */

export type ShipmentStep = "pick" | "pack" | "ship";

export const shipmentSteps: readonly ShipmentStep[] = ["pick", "pack", "ship"];

/** How long each step may take once the reservation can take it, and how long a warning waits before escalation. */
export interface StepDeadlineSettings {
  /** Picked by: ready to pick + this. */
  pickMs: number;
  /** Packed by: picked + this. */
  packMs: number;
  /** Shipped by: packed + this (a pick-up order is not shipped: it has no ship deadline). */
  shipMs: number;
  /** A step the clerks were warned about goes to the store manager this much later. */
  escalateAfterMs: number;
}

const MINUTE_MS = 60_000;

/** WAREHOUSE_PICK_MINUTES 60, WAREHOUSE_PACK_MINUTES 30, WAREHOUSE_SHIP_MINUTES 120, WAREHOUSE_ESCALATE_AFTER_MINUTES 30. */
export const defaultStepDeadlineSettings: StepDeadlineSettings = {
  pickMs: 60 * MINUTE_MS,
  packMs: 30 * MINUTE_MS,
  shipMs: 120 * MINUTE_MS,
  escalateAfterMs: 30 * MINUTE_MS,
};

/** The role a late step is for, and the role it is escalated to: the warehouse keeps no staff list, so the store's people with the role are told. */
export const RESPONSIBLE_ROLE = "warehouse-clerk";
export const ESCALATION_ROLE = "store-manager";

/**
 * The step a reservation at this point of its way out waits for, if any. A pick-up order
 * waits for no shipping once packed: its customer collects it at the counter, and the hold
 * period for that is fulfillment's.
 */
export function awaitedStep(reservation: Pick<Reservation, "status" | "fulfillmentMethod">): ShipmentStep | undefined {
  switch (reservation.status) {
    case "ready-to-pick":
      return "pick";
    case "picked":
      return "pack";
    case "packed":
      return reservation.fulfillmentMethod === PICKUP ? undefined : "ship";
    case "reserved":
    case "shipped":
    case "handed-over":
    case "released":
      return undefined;
    default: {
      const unknown: never = reservation.status;
      throw new Error(`unknown reservation status ${String(unknown)}`);
    }
  }
}

/** The steps a step of the way out completes: the hand-over at the counter completes whatever was still open. */
export function stepsMetBy(event: ShipmentEvent): ShipmentStep[] {
  switch (event.type) {
    case "ShipmentRequested":
      return [];
    case "ShipmentPicked":
      return ["pick"];
    case "ShipmentPacked":
      return ["pack"];
    case "ShipmentDispatched":
      return ["ship"];
    case "HandedOver":
      return [...shipmentSteps];
    default: {
      const unknown: never = event;
      throw new Error(`unknown event ${String((unknown as { type: unknown }).type)}`);
    }
  }
}

/** When `step` is due if the reservation became able to take it at `from`. */
export function dueAtOf(step: ShipmentStep, from: Date, settings: StepDeadlineSettings): Date {
  const allowed = step === "pick" ? settings.pickMs : step === "pack" ? settings.packMs : settings.shipMs;
  return new Date(from.getTime() + allowed);
}

/** A reservation's move, as the steps taken left it. */
export interface StepTaken {
  event: ShipmentEvent;
  after: Reservation;
}

/** What a transaction's steps do to the time nodes, per reservation and step. */
export interface DeadlineWork {
  /** Steps whose clock starts: the reservation can take them now. */
  started: { reservation: Reservation; step: ShipmentStep }[];
  /** Steps done: their deadline is met and its warnings are called off. */
  met: { reservationId: string; step: ShipmentStep }[];
}

/**
 * The time nodes that the steps taken (in the order taken; a batch may move one reservation
 * twice, a pick and then a pack) start and meet. A step started and met in the same batch is
 * both: its deadline is recorded as met, and it never needs a warning.
 */
export function deadlineWorkOf(steps: readonly StepTaken[]): DeadlineWork {
  const started = new Map<string, { reservation: Reservation; step: ShipmentStep }>();
  const met = new Map<string, { reservationId: string; step: ShipmentStep }>();
  for (const { event, after } of steps) {
    for (const step of stepsMetBy(event)) met.set(`${after.reservationId}\u0000${step}`, { reservationId: after.reservationId, step });
    const next = awaitedStep(after);
    if (next) started.set(`${after.reservationId}\u0000${next}`, { reservation: after, step: next });
  }
  return { started: [...started.values()], met: [...met.values()] };
}

/** A step's time node as recorded. */
export interface StepDeadline {
  step: ShipmentStep;
  dueAt: Date;
  /** 0 = not flagged; 1 = the clerks were warned; 2 = escalated to the store manager. */
  level: number;
  metAt?: Date | undefined;
  /** The reservation was released before the step was done: the node has nothing left to watch. */
  calledOffAt?: Date | undefined;
}

export type OverdueLevel = 1 | 2;

export type OverdueDecision =
  | {
      kind: "flag";
      level: OverdueLevel;
      responsibleRole: string;
      /** Level 2: the role it is escalated to; "" at level 1. */
      escalatedToRole: string;
      /** Level 1: when the escalation is due if the step is still not done. */
      escalateAt?: Date;
    }
  | { kind: "nothing"; why: "no-deadline" | "met" | "called-off" | "released" | "not-awaited" | "flagged-already" };

/**
 * A step's deadline (level 1) or its escalation (level 2) came due at `now`: flag it if the
 * reservation still waits for that step and the level was not flagged before (a timer fired
 * again, a replay), else nothing. The reservation is as last committed.
 */
export function decideOverdue(
  timer: { step: ShipmentStep; level: number },
  deadline: StepDeadline | undefined,
  reservation: Pick<Reservation, "status" | "fulfillmentMethod"> | undefined,
  now: Date,
  settings: Pick<StepDeadlineSettings, "escalateAfterMs">,
): OverdueDecision {
  const level = overdueLevelOf(timer.level);
  if (!deadline || !reservation) return { kind: "nothing", why: "no-deadline" };
  if (deadline.metAt) return { kind: "nothing", why: "met" };
  if (deadline.calledOffAt) return { kind: "nothing", why: "called-off" };
  if (reservation.status === "released") return { kind: "nothing", why: "released" };
  // Belt and braces: the step's record and the reservation are written together, so this only
  // catches a step the node was not told about.
  if (awaitedStep(reservation) !== timer.step) return { kind: "nothing", why: "not-awaited" };
  if (deadline.level >= level) return { kind: "nothing", why: "flagged-already" };
  return overdueFlag(level, now, settings);
}

export type OverdueFlag = Extract<OverdueDecision, { kind: "flag" }>;

/**
 * The warehouse's escalation ladder, shared by an order's shipment steps and an exchange's
 * replacement (replacement-deadline.ts): level 1 warns the store's clerks and sets when the
 * store manager hears of it; level 2 is that escalation.
 */
export function overdueFlag(level: OverdueLevel, now: Date, settings: Pick<StepDeadlineSettings, "escalateAfterMs">): OverdueFlag {
  if (level === 1) {
    return { kind: "flag", level, responsibleRole: RESPONSIBLE_ROLE, escalatedToRole: "", escalateAt: new Date(now.getTime() + settings.escalateAfterMs) };
  }
  return { kind: "flag", level, responsibleRole: RESPONSIBLE_ROLE, escalatedToRole: ESCALATION_ROLE };
}

/**
 * A timer names level 1 or 2; anything else is a malformed timer, not a decision to make.
 * `code` names whose timer it was (an order's shipment step or a replacement's).
 */
export function overdueLevelOf(level: number, code = "shipment-deadline.invalid-level"): OverdueLevel {
  if (level === 1 || level === 2) return level;
  throw new ValidationError([{ field: "level", message: `must be 1 or 2, got ${level}` }], undefined, code);
}

/** A step's name as timers and contracts carry it, checked. */
export function shipmentStepOf(raw: string): ShipmentStep {
  if ((shipmentSteps as readonly string[]).includes(raw)) return raw as ShipmentStep;
  throw new ValidationError([{ field: "step", message: `must be one of ${shipmentSteps.join(", ")}, got ${JSON.stringify(raw)}` }], undefined, "shipment-deadline.invalid-step");
}
