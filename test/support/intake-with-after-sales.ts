import { startService, type RunningService } from "@oms/service-kit";
import { createTestNamespace, testCallerTrust, testServiceConfig, type TestNamespace } from "@oms/testing";
// Services are not packages: the cross-service tests start them in process from their sources.
import { defineAfterSalesService } from "../../services/after-sales/src/service.ts";
import { afterSalesClients } from "../../services/after-sales/src/test-fixtures.ts";
import { createIntakeService } from "../../services/intake/src/service.ts";
import { freePort, httpClient, peersAt } from "../../services/intake/src/test-fixtures.ts";

/** Intake's REST API in front of a real after-sales, in a namespace of their own, with after-sales' own clients beside. */
export interface IntakeWithAfterSales {
  namespace: TestNamespace;
  afterSales: RunningService;
  intake: RunningService;
  api: ReturnType<typeof httpClient>;
  cases: ReturnType<typeof afterSalesClients>;
  stop(): Promise<void>;
}

export async function startIntakeWithAfterSales(): Promise<IntakeWithAfterSales> {
  const namespace = await createTestNamespace();
  const afterSales = await startService(defineAfterSalesService({}), testServiceConfig("after-sales", namespace));
  const peers = peersAt(`127.0.0.1:${await freePort()}`, { "after-sales": `127.0.0.1:${afterSales.grpc.port}` });
  const intake = await startService(createIntakeService({ callerTrust: testCallerTrust }), testServiceConfig("intake", namespace, peers));
  const cases = afterSalesClients(afterSales.grpc.port);
  return {
    namespace,
    afterSales,
    intake,
    api: httpClient(intake.httpPort),
    cases,
    stop: async () => {
      cases.query.close();
      cases.commands.close();
      await intake.stop();
      await afterSales.stop();
      await namespace.drop();
    },
  };
}
