import { warehouseApi, type Actor } from "@oms/contracts";
import { createClient, type GrpcTarget } from "@oms/grpc";

/** A location's count, or goods received at a location, as a warehouse clerk records them. */
export interface StockCount {
  sku: string;
  location: string;
  counted: number;
  reason: string;
}

export interface StockReceipt {
  /** The clerk's own id of the receipt: sent again, it is booked once. */
  receiptId: string;
  sku: string;
  location: string;
  quantity: number;
}

/** A returned parcel as the clerk inspected it (ADR 021): per SKU, the units fit to sell again and those written off. */
export interface ReturnReceipt {
  /** The clerk's own id of the receipt (the parcel's label or return note): sent again, it is booked once. */
  receiptId: string;
  lines: {
    sku: string;
    resellable: number;
    location: string;
    writeOffs: { quantity: number; condition: string; cause: string }[];
  }[];
}

/** What intake asks the warehouse, the owner of stock and reservations, on behalf of a caller. */
/**
 * A page of a clerk's list (twenty-ninth session): `pageSize` and `pageToken` as the warehouse
 * takes them; `limit`, the size's older name, passed on as the caller gave it (0: none).
 */
export interface ClerkListPage {
  pageSize: number;
  pageToken: string;
  limit: number;
}

export interface WarehouseStock {
  pickReservation(reservationId: string, caller: Actor, correlationId: string): Promise<warehouseApi.ReservationView>;
  packReservation(reservationId: string, caller: Actor, parcels: number, correlationId: string): Promise<warehouseApi.ReservationView>;
  shipReservation(reservationId: string, caller: Actor, shipment: { carrier: string; trackingNumber: string }, correlationId: string): Promise<warehouseApi.ReservationView>;
  workWave(step: string, items: readonly WaveItem[], caller: Actor, correlationId: string): Promise<warehouseApi.WaveResponse>;
  getStock(storeId: string, skus: readonly string[], correlationId: string): Promise<warehouseApi.GetStockResponse>;
  /** Which stores have a SKU, the most available first (ADR 030's third addendum). */
  getSkuAvailability(sku: string, correlationId: string): Promise<warehouseApi.GetSkuAvailabilityResponse>;
  listPickList(storeId: string, status: string, page: ClerkListPage, correlationId: string): Promise<warehouseApi.PickListResponse>;
  listOverdueShipments(storeId: string, page: ClerkListPage, correlationId: string): Promise<warehouseApi.ListOverdueShipmentsResponse>;
  countStock(storeId: string, caller: Actor, count: StockCount, correlationId: string): Promise<warehouseApi.StockLevel>;
  receiveStock(storeId: string, caller: Actor, receipt: StockReceipt, correlationId: string): Promise<warehouseApi.StockLevel>;
  listExpectedReturns(storeId: string, page: ClerkListPage, correlationId: string): Promise<warehouseApi.ListExpectedReturnsResponse>;
  receiveReturn(caseId: string, caller: Actor, receipt: ReturnReceipt, correlationId: string): Promise<warehouseApi.ExpectedReturn>;
  callOffReturn(caseId: string, caller: Actor, reason: string, correlationId: string): Promise<warehouseApi.ExpectedReturn>;
  listReplacements(storeId: string, page: ClerkListPage, correlationId: string): Promise<warehouseApi.ListReplacementsResponse>;
  /** `callerStoreIds`: the clerk's stores (empty when working chain-wide); the warehouse ships only from one of them. */
  /** ADR 030's seventh addendum: the clerk's pick and pack of a replacement, before its shipment; `parcels` only for the pack. */
  replacementStep(step: "pick" | "pack", caseId: string, caller: Actor, options: { parcels: number; callerStoreIds: string[] }, correlationId: string): Promise<warehouseApi.ReplacementView>;
  shipReplacement(caseId: string, caller: Actor, shipment: { carrier: string; trackingNumber: string; callerStoreIds: string[] }, correlationId: string): Promise<warehouseApi.ReplacementView>;
  callOffReplacement(caseId: string, caller: Actor, reason: string, correlationId: string): Promise<warehouseApi.ReplacementView>;
  /** ADR 030's third addendum: a waiting replacement sent from another store that can reserve it whole. */
  moveReplacement(caseId: string, caller: Actor, move: { toStoreId: string; reason: string }, correlationId: string): Promise<warehouseApi.ReplacementView>;
  reportShipmentException(reservationId: string, caller: Actor, report: ShipmentExceptionReport, correlationId: string): Promise<warehouseApi.ShipmentExceptionView>;
  /** ADR 030's second addendum: the day a SKU is expected back at the store, recorded by staff, or cleared with why. */
  /** `location` "" names none; a location puts the SKU's row there on record when missing (a product the store is introducing). */
  recordExpectedRestock(storeId: string, sku: string, caller: Actor, expected: { date: string; location: string }, correlationId: string): Promise<warehouseApi.ExpectedRestockView>;
  clearExpectedRestock(storeId: string, sku: string, caller: Actor, reason: string, correlationId: string): Promise<warehouseApi.ExpectedRestockView>;
  /** The store's expected deliveries, the dates already over first (only those with overdueOnly). */
  listExpectedRestocks(storeId: string, overdueOnly: boolean, correlationId: string): Promise<warehouseApi.ListExpectedRestocksResponse>;
  rejectReservation(reservationId: string, caller: Actor, reason: string, correlationId: string): Promise<warehouseApi.ReservationView>;
  close(): void;
}

/** One reservation of a clerk's wave, with what its step needs (parcels to pack, carrier and tracking number to ship). */
export interface WaveItem {
  reservationId: string;
  parcels?: number | undefined;
  carrier?: string | undefined;
  trackingNumber?: string | undefined;
}

/** Damage, loss or delay, as a clerk (or a carrier) reports it. */
export interface ShipmentExceptionReport {
  kind: string;
  cause: string;
  newEta: string;
}

const callerOf = (caller: Actor): warehouseApi.Caller => ({ kind: caller.kind, id: caller.id, role: caller.role });

/** The warehouse's StockQuery and WarehouseCommands over gRPC (proto/oms/warehouse/v1/stock_service.proto). */
export function warehouseStockAt(peer: GrpcTarget, deadlineMs = 3_000, waveDeadlineMs = 10_000): WarehouseStock {
  const query = createClient(warehouseApi.StockQueryService, "oms.warehouse.v1.StockQuery", peer);
  const commands = createClient(warehouseApi.WarehouseCommandsService, "oms.warehouse.v1.WarehouseCommands", peer);
  return {
    pickReservation: (reservationId, caller, correlationId) =>
      commands.pickReservation({ reservationId, caller: callerOf(caller), correlationId }, { correlationId, deadlineMs }),
    packReservation: (reservationId, caller, parcels, correlationId) =>
      commands.packReservation({ reservationId, caller: callerOf(caller), parcels, correlationId }, { correlationId, deadlineMs }),
    shipReservation: (reservationId, caller, shipment, correlationId) =>
      commands.shipReservation({ reservationId, caller: callerOf(caller), ...shipment, correlationId }, { correlationId, deadlineMs }),
    workWave: (step, items, caller, correlationId) =>
      commands.workWave(
        {
          step,
          items: items.map((item) => ({ reservationId: item.reservationId, parcels: item.parcels ?? 0, carrier: item.carrier ?? "", trackingNumber: item.trackingNumber ?? "" })),
          caller: callerOf(caller),
          correlationId,
        },
        // Up to 200 reservations' steps in a few transactions: more than one step's time.
        { correlationId, deadlineMs: waveDeadlineMs },
      ),
    getStock: (storeId, skus, correlationId) => query.getStock({ storeId, skus: [...skus] }, { correlationId, deadlineMs }),
    getSkuAvailability: (sku, correlationId) => query.getSkuAvailability({ sku }, { correlationId, deadlineMs }),
    listPickList: (storeId, status, page, correlationId) => query.listPickList({ storeId, status, ...page }, { correlationId, deadlineMs }),
    listOverdueShipments: (storeId, page, correlationId) => query.listOverdueShipments({ storeId, ...page }, { correlationId, deadlineMs }),
    listExpectedReturns: (storeId, page, correlationId) => query.listExpectedReturns({ storeId, ...page }, { correlationId, deadlineMs }),
    receiveReturn: (caseId, caller, receipt, correlationId) =>
      commands.receiveReturn({ caseId, receiptId: receipt.receiptId, lines: receipt.lines, caller: callerOf(caller), correlationId }, { correlationId, deadlineMs }),
    callOffReturn: (caseId, caller, reason, correlationId) => commands.callOffReturn({ caseId, reason, caller: callerOf(caller), correlationId }, { correlationId, deadlineMs }),
    listReplacements: (storeId, page, correlationId) => query.listReplacements({ storeId, ...page }, { correlationId, deadlineMs }),
    replacementStep: (step, caseId, caller, { parcels, callerStoreIds }, correlationId) => {
      const request = { caseId, parcels, caller: callerOf(caller), correlationId, callerStoreIds };
      return step === "pick" ? commands.pickReplacement(request, { correlationId, deadlineMs }) : commands.packReplacement(request, { correlationId, deadlineMs });
    },
    shipReplacement: (caseId, caller, { carrier, trackingNumber, callerStoreIds }, correlationId) =>
      commands.shipReplacement({ caseId, carrier, trackingNumber, caller: callerOf(caller), correlationId, callerStoreIds }, { correlationId, deadlineMs }),
    callOffReplacement: (caseId, caller, reason, correlationId) => commands.callOffReplacement({ caseId, reason, caller: callerOf(caller), correlationId }, { correlationId, deadlineMs }),
    moveReplacement: (caseId, caller, { toStoreId, reason }, correlationId) =>
      commands.moveReplacement({ caseId, toStoreId, reason, caller: callerOf(caller), correlationId }, { correlationId, deadlineMs }),
    recordExpectedRestock: (storeId, sku, caller, { date, location }, correlationId) =>
      commands.recordExpectedRestock({ storeId, sku, date, location, caller: callerOf(caller), correlationId }, { correlationId, deadlineMs }),
    clearExpectedRestock: (storeId, sku, caller, reason, correlationId) =>
      commands.clearExpectedRestock({ storeId, sku, reason, caller: callerOf(caller), correlationId }, { correlationId, deadlineMs }),
    listExpectedRestocks: (storeId, overdueOnly, correlationId) => query.listExpectedRestocks({ storeId, overdueOnly }, { correlationId, deadlineMs }),
    // CountStock and ReceiveStock carry no correlation id field: it travels in the call's metadata.
    countStock: (storeId, caller, count, correlationId) =>
      commands.countStock({ storeId, ...count, caller: callerOf(caller) }, { correlationId, deadlineMs }),
    receiveStock: (storeId, caller, receipt, correlationId) =>
      commands.receiveStock({ storeId, ...receipt, caller: callerOf(caller) }, { correlationId, deadlineMs }),
    rejectReservation: (reservationId, caller, reason, correlationId) =>
      commands.rejectReservation({ reservationId, caller: callerOf(caller), reason, correlationId }, { correlationId, deadlineMs }),
    reportShipmentException: (reservationId, caller, report, correlationId) =>
      commands.reportShipmentException({ reservationId, caller: callerOf(caller), ...report, correlationId }, { correlationId, deadlineMs }),
    close: () => {
      query.close();
      commands.close();
    },
  };
}
