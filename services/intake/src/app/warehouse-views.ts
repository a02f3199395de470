import type { warehouseApi } from "@oms/contracts";

/** A reservation on its way out of the warehouse. */
export interface ReservationView {
  reservationId: string;
  orderId: string;
  storeId: string;
  /** "reserved" | "picked" | "packed" | "shipped" | "released" */
  status: string;
  carrier?: string | undefined;
  trackingNumber?: string | undefined;
}

/** Stock of one SKU at one location of a store. */
export interface StockLevelView {
  storeId: string;
  sku: string;
  location: string;
  onHand: number;
  reserved: number;
  available: number;
  safetyStock: number;
  expectedRestockDate?: string | undefined;
}

/** A reservation on the store's pick (or pack, or dispatch) list. */
export interface PickListEntryView {
  reservationId: string;
  orderId: string;
  status: string;
  priority: number;
  fulfillmentMethod: string;
  lines: { sku: string; location: string; quantity: number }[];
  since: string;
}

export function pickListEntryViewOf(entry: warehouseApi.PickListEntry): PickListEntryView {
  return {
    reservationId: entry.reservationId,
    orderId: entry.orderId,
    status: entry.status,
    priority: entry.priority,
    fulfillmentMethod: entry.fulfillmentMethod,
    lines: entry.lines.map(({ sku, location, quantity }) => ({ sku, location, quantity })),
    since: entry.since,
  };
}

/** A shipment late at a step of its way out, as the store's warehouse clerks and its manager see it. */
export interface OverdueShipmentView {
  reservationId: string;
  orderId: string;
  /** The step it waits for: "pick" | "pack" | "ship". */
  step: string;
  dueAt: string;
  /** 1 = the store's warehouse clerks were warned; 2 = escalated to the store manager. */
  level: number;
  overdueSince: string;
  priority: number;
  fulfillmentMethod: string;
  /** An exchange's replacement late to ship: its case (reservationId is then ""). */
  caseId?: string;
}

export function overdueShipmentViewOf(shipment: warehouseApi.OverdueShipment): OverdueShipmentView {
  return {
    reservationId: shipment.reservationId,
    orderId: shipment.orderId,
    step: shipment.step,
    dueAt: shipment.dueAt,
    level: shipment.level,
    overdueSince: shipment.overdueSince,
    priority: shipment.priority,
    fulfillmentMethod: shipment.fulfillmentMethod,
    // An exchange's replacement late to ship (ADR 030's fifth addendum) is named by its case, not a reservation.
    ...(shipment.caseId && { caseId: shipment.caseId }),
  };
}

export function reservationViewOf(view: warehouseApi.ReservationView): ReservationView {
  return {
    reservationId: view.reservationId,
    orderId: view.orderId,
    storeId: view.storeId,
    status: view.status,
    carrier: view.carrier || undefined,
    trackingNumber: view.trackingNumber || undefined,
  };
}

export function stockLevelViewOf(level: warehouseApi.StockLevel): StockLevelView {
  return {
    storeId: level.storeId,
    sku: level.sku,
    location: level.location,
    onHand: level.onHand,
    reserved: level.reserved,
    available: level.available,
    safetyStock: level.safetyStock,
    expectedRestockDate: level.expectedRestockDate || undefined,
  };
}

/** A SKU's expected restock date at a store, as staff left it (ADR 030's second addendum), with the locations carrying it. */
export interface ExpectedRestockView {
  storeId: string;
  sku: string;
  /** Absent when nobody knows. */
  expectedRestockDate?: string | undefined;
  levels: StockLevelView[];
  changed: boolean;
  waitingReplacements: number;
}

export function expectedRestockViewOf(view: warehouseApi.ExpectedRestockView): ExpectedRestockView {
  return {
    storeId: view.storeId,
    sku: view.sku,
    expectedRestockDate: view.expectedRestockDate || undefined,
    levels: view.levels.map(stockLevelViewOf),
    changed: view.changed,
    waitingReplacements: view.waitingReplacements,
  };
}

/** A SKU the store expects back on a day (ADR 030's second addendum), as the store's list of expected deliveries shows it. */
export interface ExpectedRestockItemView {
  sku: string;
  expectedRestockDate: string;
  /** The day is over in every time zone and the goods have not come. */
  overdue: boolean;
  /** Who last stated this date and when; absent when the trail has none (set before the command existed). */
  recordedAt?: string | undefined;
  recordedBy?: string | undefined;
  available: number;
  waitingReplacements: number;
  unitsShort: number;
}

export function expectedRestockItemViewOf(item: warehouseApi.ExpectedRestockItem): ExpectedRestockItemView {
  return {
    sku: item.sku,
    expectedRestockDate: item.expectedRestockDate,
    overdue: item.overdue,
    recordedAt: item.recordedAt || undefined,
    recordedBy: item.recordedBy || undefined,
    available: item.available,
    waitingReplacements: item.waitingReplacements,
    unitsShort: item.unitsShort,
  };
}

/** Goods a store expects back from an accepted return or exchange, and what came back of them so far (ADR 021). */
export interface ExpectedReturnView {
  caseId: string;
  orderId: string;
  storeId: string;
  kind: string;
  lines: { sku: string; expected: number; restocked: number; writtenOff: number; outstanding: number }[];
  expectedSince: string;
  /** "expected" | "partly-received" | "received" | "called-off" */
  status: string;
  receiptIds: string[];
  /** When, by whom and why its outstanding goods were called off; "" while they are not. */
  calledOffAt: string;
  calledOffBy: string;
  calledOffReason: string;
}

export function expectedReturnViewOf(expected: warehouseApi.ExpectedReturn): ExpectedReturnView {
  return {
    caseId: expected.caseId,
    orderId: expected.orderId,
    storeId: expected.storeId,
    kind: expected.kind,
    lines: expected.lines.map(({ sku, expected: named, restocked, writtenOff, outstanding }) => ({ sku, expected: named, restocked, writtenOff, outstanding })),
    expectedSince: expected.expectedSince,
    status: expected.status,
    receiptIds: [...expected.receiptIds],
    calledOffAt: expected.calledOffAt,
    calledOffBy: expected.calledOffBy,
    calledOffReason: expected.calledOffReason,
  };
}
