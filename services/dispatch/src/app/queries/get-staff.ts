import type pg from "pg";
import type { dispatchApi } from "@oms/contracts";
import { NotFoundError, ValidationError } from "@oms/errors";
import { staffRepository } from "../../adapters/pg/staff-repository.ts";
import { staffView } from "../commands/manage-staff.ts";

/** One member of staff as dispatch keeps them: the gateway holds a store-scoped caller to the staff of their own stores with it. */
export async function getStaff(pool: pg.Pool, staffId: string): Promise<dispatchApi.StaffMember> {
  if (!staffId.trim()) throw new ValidationError([{ field: "staffId", message: "is required" }]);
  const staff = await staffRepository.findById(pool, staffId);
  if (!staff) throw new NotFoundError("staff.not-found", `no member of staff ${staffId}`);
  return staffView(staff);
}
