import { startService, type RunningService } from "@oms/service-kit";
import { testServiceConfig, callerHeaders, testCallerTrust } from "@oms/testing";
// Services are not packages: the cross-service tests start them in process from their sources.
import { startTestBilling, type BillingUnderTest } from "../../../../billing/src/test-fixtures.ts";
import { createIntakeService } from "../../service.ts";
import { freePort, httpClient, peersAt } from "../../test-fixtures.ts";

/** Intake in process with a real billing behind it, in billing's namespace: what the route specs of money (refunds, invoices, credit) ask through. */
export interface IntakeWithBilling {
  billing: BillingUnderTest;
  intake: RunningService;
  api: ReturnType<typeof httpClient>;
  stop(): Promise<void>;
}

export async function startIntakeWithBilling(): Promise<IntakeWithBilling> {
  const billing = await startTestBilling();
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
