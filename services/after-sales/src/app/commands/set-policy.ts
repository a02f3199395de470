import type { afterSalesApi } from "@oms/contracts";
import { ValidationError } from "@oms/errors";
import { withTransaction } from "@oms/postgres";
import { policyRepository } from "../../adapters/pg/policy-repository.ts";
import { callerLabel, rolesThatSetPolicy, staffIn } from "../../domain/case-callers.ts";
import { publishedPolicy } from "../../domain/policy.ts";
import type { CaseDeps } from "../case-deps.ts";
import { policyView } from "../case-views.ts";

/**
 * A store manager publishes the store's policy; cases opened from now on are judged by it.
 * No event is published: the policy is a store setting read over gRPC, not a step of any
 * order, so it belongs in no order's dossier (each case records the note it was judged by).
 * Audited instead: every policy published is appended, whole, to the store's versions in the
 * transaction that puts it in force.
 */
export async function setPolicy(deps: CaseDeps, request: afterSalesApi.SetPolicyRequest): Promise<afterSalesApi.Policy> {
  const manager = staffIn(request.caller, rolesThatSetPolicy, "publish a store's after-sales policy");
  if (!request.policy) throw new ValidationError([{ field: "policy", message: "is required" }]);
  const policy = publishedPolicy(request.policy, callerLabel(manager), deps.clock());
  const saved = await withTransaction(deps.pool, async (tx) => {
    // Saved first: the upsert holds the store's row, so two managers publishing at once append
    // their versions in the order their policies came into force (the last is the one in force).
    const inForce = await policyRepository.save(tx, policy);
    await policyRepository.appendVersion(tx, policy);
    return inForce;
  });
  return policyView(saved);
}
