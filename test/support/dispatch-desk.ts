import { dispatchApi } from "@oms/contracts";
import { createClient } from "@oms/grpc";

/** Dispatch's gRPC API, as the staff apps call it (commands) and as the desk reads it (queries). */
export function dispatchDesk(address: string) {
  const commands = createClient(dispatchApi.DispatchCommandsService, "oms.dispatch.v1.DispatchCommands", address);
  const queries = createClient(dispatchApi.WorkloadQueryService, "oms.dispatch.v1.WorkloadQuery", address);
  return {
    commands,
    queries,
    close: () => {
      commands.close();
      queries.close();
    },
  };
}

export const staffCaller = (id: string, role = "service-staff") => ({ kind: "staff", id, role });
