import { randomUUID } from "node:crypto";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { EventTypes, Topics, billingApi, newEvent } from "@oms/contracts";
import { createClient } from "@oms/grpc";
import { startService, type RunningService } from "@oms/service-kit";
import { createTestNamespace, eventually, publishEvents, testServiceConfig, type TestNamespace } from "@oms/testing";
import { billingService } from "../../services/billing/src/service.ts";

/**
 * A Postgres restart or failover ends every connection. A service must neither crash on
 * the dropped connections (checked-out clients included) nor stop working after them.
 */
let namespace: TestNamespace;
let billing: RunningService;

beforeAll(async () => {
  namespace = await createTestNamespace();
  billing = await startService(billingService, testServiceConfig("billing", namespace));
});

afterAll(async () => {
  await billing?.stop();
  await namespace?.drop();
});

async function terminateConnectionsOf(applicationName: string): Promise<number> {
  const admin = new pg.Client({ connectionString: namespace.databaseUrl });
  await admin.connect();
  try {
    const { rows } = await admin.query<{ n: number }>(
      "SELECT count(pg_terminate_backend(pid))::int AS n FROM pg_stat_activity WHERE application_name = $1 AND datname = current_database()",
      [applicationName],
    );
    return rows[0]!.n;
  } finally {
    await admin.end();
  }
}

describe("losing database connections", () => {
  it("keeps the service up and working after every one of its connections is terminated", async () => {
    // Let the relay and consumer hold connections, then cut them all.
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect(await terminateConnectionsOf("billing")).toBeGreaterThan(0);

    const orderId = randomUUID();
    await publishEvents(namespace.name, Topics.fulfillmentOrder, [
      newEvent(
        EventTypes.SettlementRequested,
        {
          settlementId: randomUUID(),
          totals: { linesMinor: 500, discountMinor: 0, shippingFeeMinor: 0, serviceFeeMinor: 0, taxMinor: 0, grandTotalMinor: 500, currency: "CNY" },
          paymentMethod: "cash",
          prepaid: false,
          channel: "pos",
        },
        { producer: "fulfillment", orderId, storeId: "store-db", actor: { kind: "system", id: "fulfillment", role: "system" } },
      ),
    ]);
    const client = createClient(billingApi.SettlementQueryService, "oms.billing.v1.SettlementQuery", `127.0.0.1:${billing.grpc.port}`);
    try {
      const view = await eventually(() => client.getSettlement({ orderId }).catch(() => undefined), 30_000);
      expect(view.amountDue?.minor).toBe(500);
    } finally {
      client.close();
    }
  });
});
