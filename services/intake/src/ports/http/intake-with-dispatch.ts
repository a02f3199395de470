import { startService, type RunningService } from "@oms/service-kit";
import { createTestNamespace, testServiceConfig, type TestNamespace, testCallerTrust } from "@oms/testing";
// Services are not packages: the cross-service tests start them in process from their sources.
import { dispatchServiceWith } from "../../../../dispatch/src/service.ts";
import { createIntakeService } from "../../service.ts";
import { freePort, httpClient, peersAt } from "../../test-fixtures.ts";

/** Intake in process with a real dispatch behind it, in a namespace of their own: what the route specs of dispatch's steps ask through. */
export interface IntakeWithDispatch {
  namespace: TestNamespace;
  dispatch: RunningService;
  intake: RunningService;
  api: ReturnType<typeof httpClient>;
  stop(): Promise<void>;
}

export async function startIntakeWithDispatch(): Promise<IntakeWithDispatch> {
  const namespace = await createTestNamespace();
  const dispatch = await startService(dispatchServiceWith({ retryQueuedAfterMs: 300 }), testServiceConfig("dispatch", namespace));
  const peers = peersAt(`127.0.0.1:${await freePort()}`, { dispatch: `127.0.0.1:${dispatch.grpc.port}` });
  const intake = await startService(createIntakeService({ callerTrust: testCallerTrust }), testServiceConfig("intake", namespace, peers));
  return {
    namespace,
    dispatch,
    intake,
    api: httpClient(intake.httpPort),
    stop: async () => {
      await intake.stop();
      await dispatch.stop();
      await namespace.drop();
    },
  };
}
