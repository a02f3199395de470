import type pg from "pg";
import type { afterSalesApi } from "@oms/contracts";
import { ValidationError } from "@oms/errors";
import { policyRepository } from "../../adapters/pg/policy-repository.ts";
import { defaultPolicyOf, type PolicyDefaults } from "../../domain/policy.ts";
import { policyView } from "../case-views.ts";

/** The store's published policy, or the chain's defaults (with an empty `updatedAt`) until its manager sets one. */
export async function getPolicy(pool: pg.Pool, defaults: PolicyDefaults, storeId: string): Promise<afterSalesApi.Policy> {
  if (!storeId.trim()) throw new ValidationError([{ field: "storeId", message: "is required" }]);
  return policyView((await policyRepository.find(pool, storeId.trim())) ?? defaultPolicyOf(storeId.trim(), defaults));
}
