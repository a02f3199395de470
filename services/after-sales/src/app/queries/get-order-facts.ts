import type pg from "pg";
import type { afterSalesApi } from "@oms/contracts";
import { NotFoundError, ValidationError } from "@oms/errors";
import { orderFactsRepository } from "../../adapters/pg/order-facts-repository.ts";

export async function getOrderFacts(pool: pg.Pool, orderId: string): Promise<afterSalesApi.OrderFacts> {
  if (!orderId) throw new ValidationError([{ field: "orderId", message: "is required" }]);
  const facts = await orderFactsRepository.find(pool, orderId);
  if (!facts) throw new NotFoundError("after-sales.order-unknown", `after-sales knows no order ${orderId}`);
  return {
    orderId: facts.orderId,
    storeId: facts.storeId,
    kind: facts.kind,
    status: facts.status,
    deliveredAt: facts.deliveredAt?.toISOString() ?? "",
    closedAt: facts.closedAt?.toISOString() ?? "",
    customerId: facts.customerId,
  };
}
