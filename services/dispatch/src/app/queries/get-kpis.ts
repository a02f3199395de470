import type pg from "pg";
import type { dispatchApi } from "@oms/contracts";
import { ValidationError, type FieldError } from "@oms/errors";
import { kpiFigures, type KpiScope } from "../../adapters/pg/kpi-repository.ts";

const scopes: readonly KpiScope[] = ["staff", "team", "store"];
const DAY_MS = 24 * 3600_000;

const rate = (part: number, whole: number) => (whole === 0 ? 0 : part / whole);

/**
 * A person's, team's or store's dispatch KPIs over [from, until) (default: the 30 days up
 * to now): acknowledgement time, on-time arrival, first-time acceptance, rework and
 * workload. Rates of nothing are 0; the counts beside them say how much they rest on.
 */
export async function getKpis(pool: pg.Pool, request: dispatchApi.GetKpisRequest, now: Date): Promise<dispatchApi.Kpis> {
  const errors: FieldError[] = [];
  if (!scopes.includes(request.scope as KpiScope)) errors.push({ field: "scope", message: `must be one of ${scopes.join(", ")}` });
  if (!request.id) errors.push({ field: "id", message: "is required" });
  const until = request.until ? new Date(request.until) : now;
  const from = request.from ? new Date(request.from) : new Date(until.getTime() - 30 * DAY_MS);
  if (Number.isNaN(until.getTime())) errors.push({ field: "until", message: "is not an ISO 8601 time" });
  if (Number.isNaN(from.getTime())) errors.push({ field: "from", message: "is not an ISO 8601 time" });
  else if (from >= until) errors.push({ field: "from", message: "must be before until" });
  if (errors.length > 0) throw new ValidationError(errors);

  const f = await kpiFigures(pool, request.scope as KpiScope, request.id, from, until);
  return {
    scope: request.scope,
    id: request.id,
    from: from.toISOString(),
    until: until.toISOString(),
    acknowledgements: f.acknowledgements,
    acknowledgeSecondsAvg: f.acknowledgeSecondsAvg,
    acknowledgeSecondsP50: f.acknowledgeSecondsP50,
    checkIns: f.checkIns,
    onTimeArrivalRate: rate(f.onTimeCheckIns, f.checkIns),
    reportsDecided: f.reportsDecided,
    firstTimeAcceptanceRate: rate(f.firstReportsAccepted, f.firstReportsDecided),
    reworkRate: rate(f.reportsReworked, f.reportsDecided),
    tasksHandled: f.tasksHandled,
    tasksOpen: f.tasksOpen,
  };
}
