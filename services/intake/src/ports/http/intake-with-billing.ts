import type { fulfillmentApi } from "@oms/contracts";
import { startService, type RunningService } from "@oms/service-kit";
import { testServiceConfig, callerHeaders, testCallerTrust } from "@oms/testing";
// Services are not packages: the cross-service tests start them in process from their sources.
import { startBillingWithFulfillmentStandIn, startTestBilling, type BillingUnderTest } from "../../../../billing/src/test-fixtures.ts";
import { createIntakeService } from "../../service.ts";
import { freePort, httpClient, peersAt } from "../../test-fixtures.ts";

/** Intake in process with a real billing behind it, in billing's namespace: what the route specs of money (refunds, invoices, credit) ask through. */
export interface IntakeWithBilling {
  /** `orders`: what the fulfillment stand-in holds, when started with one. */
  billing: BillingUnderTest & { orders?: Map<string, fulfillmentApi.OrderFigures> };
  intake: RunningService;
  api: ReturnType<typeof httpClient>;
  stop(): Promise<void>;
}

/** `standIn`: billing asks a stand-in of fulfillment's OrderQuery (its `orders`, planted by the test) when it reconciles. */
export async function startIntakeWithBilling(options: { fulfillmentStandIn?: boolean } = {}): Promise<IntakeWithBilling> {
  const billing = options.fulfillmentStandIn ? await startBillingWithFulfillmentStandIn() : await startTestBilling();
  const peers = peersAt(`127.0.0.1:${await freePort()}`, { billing: `127.0.0.1:${billing.billing.grpc.port}` });
  const intake = await startService(createIntakeService({ callerTrust: testCallerTrust }), testServiceConfig("intake", billing.namespace, peers));
  return {
    billing,
    intake,
    api: httpClient(intake.httpPort),
    stop: async () => {
      await intake.stop();
      await billing.stop();
    },
  };
}

/** A member of staff in a role, signed in. */
export const asStaff = (staffId: string, role: string) => (callerHeaders(`staff:${staffId}:${role}`));
