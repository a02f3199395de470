import { eventually } from "@oms/testing";

type Call = (method: string, pathName: string, actor: string, body?: unknown) => Promise<{ status: number; body: Record<string, unknown> }>;

/**
 * The clerk picks once the reservation is on the store's pick list: fulfillment's
 * shipment request reaches the warehouse a moment after the order shows "assigned", so
 * until then the warehouse answers 409 (not ready to pick), as it would to a clerk.
 */
export async function pickWhenOnPickList(call: Call, reservation: string, clerk: string): Promise<number> {
  return eventually(async () => {
    const { status } = await call("POST", `/v1/reservations/${reservation}/pick`, clerk);
    return status === 409 ? undefined : status;
  }, 20_000, 150);
}
