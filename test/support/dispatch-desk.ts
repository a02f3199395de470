import { dispatchApi } from "@oms/contracts";
import { createClient, type GrpcTarget } from "@oms/grpc";

/** Dispatch's gRPC API, as the staff apps call it (commands) and as the desk reads it (queries). */
export function dispatchDesk(dispatch: GrpcTarget) {
  const commands = createClient(dispatchApi.DispatchCommandsService, "oms.dispatch.v1.DispatchCommands", dispatch);
  const queries = createClient(dispatchApi.WorkloadQueryService, "oms.dispatch.v1.WorkloadQuery", dispatch);
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
