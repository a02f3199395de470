import { randomUUID } from "node:crypto";
import { dispatchApi, warehouseApi } from "@oms/contracts";
import { createClient } from "@oms/grpc";
import type { RunningStack } from "@oms/infra";
import type { DemoChain, DemoStaff } from "@oms/service-kit";

/**
 * Which chain the running services seeded, and stock enough for a long load. Services
 * that read OMS_DEMO_CHAIN seed the tool's chain; otherwise they seed the demo chain,
 * whose stock (a few dozen units) and staff (20 tasks of capacity) would end any load
 * within a second. Stock and people can then still be added the way a store does it —
 * the warehouse's ReceiveStock and dispatch's UpsertStaff commands — when offered.
 */
export interface SeededChain {
  chain: DemoChain;
  description: string;
  notes: string[];
}

const receivedPerLine = 1_000_000;

export async function seedChainThroughApi(stack: RunningStack, wanted: DemoChain, demo: DemoChain, say: (message: string) => void): Promise<SeededChain> {
  const stock = createClient(warehouseApi.StockQueryService, "oms.warehouse.v1.StockQuery", stack.services.warehouse.grpc);
  const workload = createClient(dispatchApi.WorkloadQueryService, "oms.dispatch.v1.WorkloadQuery", stack.services.dispatch.grpc);
  const clerk = createClient(warehouseApi.WarehouseCommandsService, "oms.warehouse.v1.WarehouseCommands", stack.services.warehouse.grpc);
  const staffDesk = createClient(dispatchApi.DispatchCommandsService, "oms.dispatch.v1.DispatchCommands", stack.services.dispatch.grpc);
  try {
    const probeStore = wanted.stores.find((s) => !demo.stores.some((d) => d.storeId === s.storeId))?.storeId ?? wanted.stores[0]!.storeId;
    const levels = await stock.getStock({ storeId: probeStore, skus: [] }).catch(() => ({ levels: [] }));
    const staff = await workload.getWorkload({ storeId: probeStore }).catch(() => ({ staff: [] }));
    if (levels.levels.length > 0 && staff.staff.length > 0) {
      return {
        chain: wanted,
        description: `benchmark chain: ${wanted.stores.length} stores, ${wanted.priceList.length} items, ${wanted.staff.length} staff`,
        notes: [],
      };
    }
    const notes = [
      "The services seeded the demo chain (infra/demo/chain.json): they do not read OMS_DEMO_CHAIN yet, so the benchmark's own chain " +
        `(${wanted.stores.length} stores, ${wanted.priceList.length} items) could not be used; orders go to the demo chain's ${demo.stores.length} stores.`,
    ];
    let chain = demo;
    const receivedAll = await receiveStock(clerk, demo, say);
    if (receivedAll) {
      chain = { ...chain, stock: chain.stock.map((l) => ({ ...l, onHand: l.onHand + receivedPerLine })) };
      notes.push(`Stock topped up through the warehouse's ReceiveStock command: ${receivedPerLine.toLocaleString("en-US")} more units per demo stock line.`);
    } else {
      notes.push("The warehouse does not offer ReceiveStock: the demo chain's stock runs out early and later goods orders wait on hold for stock.");
    }
    const demoStoreIds = new Set(demo.stores.map((s) => s.storeId));
    const extraStaff = wanted.staff.filter((s) => demoStoreIds.has(s.storeId) && !demo.staff.some((d) => d.staffId === s.staffId));
    if (await upsertStaff(staffDesk, demo, extraStaff, say)) {
      chain = { ...chain, staff: [...chain.staff, ...extraStaff] };
      notes.push(`${extraStaff.length} staff with ample capacity added to the demo stores through dispatch's UpsertStaff command.`);
    } else {
      notes.push(`Dispatch does not offer UpsertStaff: the demo staff hold ${demo.staff.reduce((sum, s) => sum + s.capacity, 0)} tasks at once in all, and orders beyond that wait for an assignee.`);
    }
    const description = `demo chain${receivedAll ? ", stock received through the API" : ""}${chain.staff.length > demo.staff.length ? ", staff added through the API" : ""}`;
    return { chain, description, notes };
  } finally {
    stock.close();
    workload.close();
    clerk.close();
    staffDesk.close();
  }
}

type Clerk = ReturnType<typeof createClient<typeof warehouseApi.WarehouseCommandsService>>;
type StaffDesk = ReturnType<typeof createClient<typeof dispatchApi.DispatchCommandsService>>;

/** Receives plenty of every demo stock line, as a store's goods-in would; false when the command is not offered. */
async function receiveStock(clerk: Clerk, demo: DemoChain, say: (message: string) => void): Promise<boolean> {
  // One goods-in a seeding: each line its own receipt, booked once however often it is sent.
  const delivery = randomUUID();
  for (const [index, line] of demo.stock.entries()) {
    try {
      await clerk.receiveStock({
        receiptId: `bench-goods-in-${delivery}/${index}`,
        storeId: line.storeId,
        sku: line.sku,
        location: line.location,
        quantity: receivedPerLine,
        caller: { kind: "staff", id: "bench-receiving", role: "warehouse-clerk" },
      });
    } catch (error) {
      if ((error as { code?: unknown }).code !== 12) say(`receiving stock for ${line.storeId}/${line.sku} failed: ${(error as Error).message}`);
      return false;
    }
  }
  return true;
}

/** Adds people to the demo stores, as a store manager would; false when the command is not offered. */
async function upsertStaff(desk: StaffDesk, demo: DemoChain, staff: DemoStaff[], say: (message: string) => void): Promise<boolean> {
  const timezoneOf = new Map(demo.stores.map((s) => [s.storeId, s.timezone]));
  for (const person of staff) {
    try {
      await desk.upsertStaff({
        staffId: person.staffId,
        storeId: person.storeId,
        name: person.name,
        roles: person.roles,
        skills: person.skills,
        regions: person.regions,
        capacity: person.capacity,
        shift: person.shift,
        timezone: timezoneOf.get(person.storeId) ?? "Asia/Shanghai",
        active: true,
        teamId: "",
        absences: [],
      });
    } catch (error) {
      if ((error as { code?: unknown }).code !== 12) say(`adding staff ${person.staffId} failed: ${(error as Error).message}`);
      return false;
    }
  }
  return true;
}
