import type pg from "pg";
import type { dispatchApi } from "@oms/contracts";
import { requestedPeriod, type FieldError } from "@oms/errors";
import { kpiFigures, type KpiScope } from "../../adapters/pg/kpi-repository.ts";

const scopes: readonly KpiScope[] = ["staff", "team", "store"];
const DAY_MS = 24 * 3600_000;

const rate = (part: number, whole: number) => (whole === 0 ? 0 : part / whole);

/**
 * A person's, team's or store's dispatch KPIs over [from, until) (default: the 30 days up
 * to now; at most a year): acknowledgement time, on-time arrival, first-time acceptance, rework and
 * workload. Rates of nothing are 0; the counts beside them say how much they rest on.
 */
export async function getKpis(pool: pg.Pool, request: dispatchApi.GetKpisRequest, now: Date): Promise<dispatchApi.Kpis> {
  const errors: FieldError[] = [];
  if (!scopes.includes(request.scope as KpiScope)) errors.push({ field: "scope", message: `must be one of ${scopes.join(", ")}` });
  if (!request.id) errors.push({ field: "id", message: "is required" });
  // The period's rules are every report's (RFC 3339, in order, at most a year); only its defaults are dispatch's.
  const until = request.until || now.toISOString();
  // An unreadable until is its own field's error; the default from then counts back from now.
  const untilTime = Number.isNaN(new Date(until).getTime()) ? now : new Date(until);
  const from = request.from || new Date(untilTime.getTime() - 30 * DAY_MS).toISOString();
  const period = requestedPeriod({ from, until }, errors);

  const f = await kpiFigures(pool, request.scope as KpiScope, request.id, period.from, period.until);
  return {
    scope: request.scope,
    id: request.id,
    from: period.from.toISOString(),
    until: period.until.toISOString(),
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
