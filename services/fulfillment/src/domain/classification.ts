import type { Order } from "./order.ts";

/**
 * Classification and priority (DOMAIN.md, Classification): urgent and perishable
 * orders first, key customers first; region groups deliveries by route; special
 * handling travels with the order. Higher priority is served first downstream.
 */
export interface Classification {
  priority: number;
  classification: string[];
}

const weights = { urgent: 50, perishable: 40, vip: 30, "key-customer": 30 } as const;
const specialHandling = ["fragile", "custom-made", "perishable", "bulky"] as const;

export function classify(order: Pick<Order, "kind" | "tags" | "vip" | "region">): Classification {
  const tags = new Set(order.tags);
  let priority = 0;
  const classification: string[] = [`kind:${order.kind}`];
  if (tags.has("urgent")) priority += weights.urgent;
  if (tags.has("perishable")) priority += weights.perishable;
  if (order.vip) priority += weights.vip;
  if (tags.has("key-customer")) priority += weights["key-customer"];
  if (priority > 0) classification.push(`priority:${priority >= 50 ? "high" : "elevated"}`);
  if (order.region) classification.push(`route:${order.region}`);
  for (const handling of specialHandling) if (tags.has(handling)) classification.push(`handling:${handling}`);
  return { priority, classification };
}
