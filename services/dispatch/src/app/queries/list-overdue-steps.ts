import type pg from "pg";
import type { dispatchApi } from "@oms/contracts";
import { ValidationError } from "@oms/errors";
import { stepDeadlineRepository } from "../../adapters/pg/step-deadline-repository.ts";

/** The store's service steps whose deadline passed and that are still not done, with how far they were escalated. */
export async function listOverdueSteps(pool: pg.Pool, storeId: string): Promise<dispatchApi.ListOverdueStepsResponse> {
  if (!storeId) throw new ValidationError([{ field: "storeId", message: "is required" }]);
  const steps = await stepDeadlineRepository.overdueOfStore(pool, storeId);
  return {
    steps: steps.map((s) => ({
      taskId: s.taskId,
      orderId: s.orderId,
      step: s.step,
      staffId: s.staffId,
      dueAt: s.dueAt.toISOString(),
      level: s.level,
      overdueSince: s.overdueSince?.toISOString() ?? "",
    })),
  };
}
