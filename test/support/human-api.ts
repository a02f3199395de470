import { afterSalesApi, billingApi, dispatchApi, fulfillmentApi, warehouseApi } from "@oms/contracts";
import { createClient, type PromiseClient } from "@oms/grpc";
import type { RunningStack } from "@oms/infra";
import type { JsonClient } from "./http-client.ts";
import { PeopleWaves, type WaveOptions } from "./people-waves.ts";

/** The system as the simulated people reach it: intake's HTTP API and the commands of the services that own their steps. */
export interface HumanApi {
  intake: JsonClient;
  openApiPaths: Set<string>;
  orders: PromiseClient<typeof fulfillmentApi.OrderCommandsService>;
  warehouse: PromiseClient<typeof warehouseApi.WarehouseCommandsService>;
  billing: PromiseClient<typeof billingApi.BillingCommandsService>;
  dispatch: PromiseClient<typeof dispatchApi.DispatchCommandsService>;
  afterSales: PromiseClient<typeof afterSalesApi.AfterSalesCommandsService>;
  /** Set when the people work in waves (clerks' steps, finance's closures); else each item's step is a call of its own. */
  waves?: {
    clerks: PeopleWaves<WaveStep, WaveItem>;
    finance: PeopleWaves<"close", string>;
  };
}

export type WaveStep = "pick" | "pack" | "ship";
export type WaveItem = Pick<warehouseApi.WaveItem, "reservationId"> & Partial<warehouseApi.WaveItem>;

/** The chain's people the steps act as, where one person stands for a role. */
export const clerk = { kind: "staff", id: "bench-clerk", role: "warehouse-clerk" };
export const finance = { kind: "staff", id: "bench-finance", role: "finance" };
export const customerService = { kind: "staff", id: "bench-cs", role: "customer-service" };

/** Clients of the commands the steps use, on the running stack; with `waves`, the warehouse clerks and finance work in waves. */
export async function connectHumanApi(stack: RunningStack, intake: JsonClient, waves?: WaveOptions): Promise<HumanApi> {
  const document = await intake.get("/openapi.json").catch(() => undefined);
  const paths = new Set(Object.keys((document?.body as { paths?: Record<string, unknown> } | undefined)?.paths ?? {}));
  const orders = createClient(fulfillmentApi.OrderCommandsService, "oms.fulfillment.v1.OrderCommands", stack.services.fulfillment.grpc);
  const warehouse = createClient(warehouseApi.WarehouseCommandsService, "oms.warehouse.v1.WarehouseCommands", stack.services.warehouse.grpc);
  const workWave = async (step: WaveStep, items: WaveItem[]) =>
    (await warehouse.workWave({ step, items: items.map((item) => ({ parcels: 0, carrier: "", trackingNumber: "", ...item })), caller: clerk, correlationId: "" })).outcomes;
  const closeOrders = async (_step: "close", orderIds: string[]) => (await orders.closeOrders({ orderIds, caller: finance, reason: "all money clear", correlationId: "" })).outcomes;
  return {
    intake,
    openApiPaths: paths,
    orders,
    warehouse,
    ...(waves ? { waves: { clerks: new PeopleWaves(workWave, waves), finance: new PeopleWaves(closeOrders, waves) } } : {}),
    billing: createClient(billingApi.BillingCommandsService, "oms.billing.v1.BillingCommands", stack.services.billing.grpc),
    dispatch: createClient(dispatchApi.DispatchCommandsService, "oms.dispatch.v1.DispatchCommands", stack.services.dispatch.grpc),
    afterSales: createClient(afterSalesApi.AfterSalesCommandsService, "oms.aftersales.v1.AfterSalesCommands", stack.services["after-sales"].grpc),
  };
}

export function closeHumanApi(api: HumanApi): void {
  api.orders.close();
  api.warehouse.close();
  api.billing.close();
  api.dispatch.close();
  api.afterSales.close();
}
