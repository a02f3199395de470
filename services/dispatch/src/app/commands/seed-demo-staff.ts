import type pg from "pg";
import { IllegalStateError } from "@oms/errors";
import type { DemoChain } from "@oms/service-kit";
import type { Staff } from "../../domain/staff.ts";
import { upsertStaff } from "./upsert-staff.ts";

/** Puts the demo chain's staff into dispatch's schema (OMS_SEED_DEMO=true); running it again changes nothing. */
export async function seedDemoStaff(pool: pg.Pool, schema: string, chain: DemoChain): Promise<number> {
  const timezones = new Map(chain.stores.map((s) => [s.storeId, s.timezone]));
  const staff: Staff[] = chain.staff.map((s) => {
    const timezone = timezones.get(s.storeId);
    if (!timezone) throw new IllegalStateError("dispatch.demo-store-missing", `demo staff ${s.staffId} works in unknown store ${s.storeId}`);
    return {
      staffId: s.staffId,
      storeId: s.storeId,
      name: s.name,
      roles: s.roles,
      skills: s.skills,
      regions: s.regions,
      capacity: s.capacity,
      shift: s.shift,
      timezone,
      active: true,
    };
  });
  await upsertStaff(pool, schema, staff);
  return staff.length;
}
