import { ConfigError } from "@oms/service-kit";

/** When the daily reconciliation runs, local time (BILLING_RECONCILE_AT), or never ("off"). */
export type DailyReconciliationTime = { hour: number; minute: number } | "off";

export const dailyReconciliationTimer = "daily-reconciliation";

/** `BILLING_RECONCILE_AT`: "HH:MM" in the process's local time (TZ), default 02:00; "off" leaves reconciliation to finance. */
export function dailyReconciliationTimeFromEnv(env: NodeJS.ProcessEnv): DailyReconciliationTime {
  const raw = env.BILLING_RECONCILE_AT;
  if (raw === undefined || raw === "") return { hour: 2, minute: 0 };
  if (raw === "off") return "off";
  const match = /^([01]\d|2[0-3]):([0-5]\d)$/.exec(raw);
  if (!match) throw new ConfigError(`BILLING_RECONCILE_AT must be a local time HH:MM (00:00-23:59) or "off", got ${JSON.stringify(raw)}`);
  return { hour: Number(match[1]), minute: Number(match[2]) };
}

/** The next time the daily run is due after `now`, and the timer's key: that local day. */
export function nextDailyRun(now: Date, at: { hour: number; minute: number }): { dueAt: Date; key: string } {
  const due = new Date(now.getFullYear(), now.getMonth(), now.getDate(), at.hour, at.minute);
  if (due.getTime() <= now.getTime()) due.setDate(due.getDate() + 1);
  return { dueAt: due, key: localDate(due) };
}

/**
 * The business day a run due on the local day `key` reconciles: the day before, midnight to
 * midnight local time (23 or 25 hours across a change of clocks). Run after midnight, so the
 * day's last closures and their invoices are in.
 */
export function dayBefore(key: string): { from: Date; until: Date } {
  const [year, month, day] = key.split("-").map(Number) as [number, number, number];
  return { from: new Date(year, month - 1, day - 1), until: new Date(year, month - 1, day) };
}

const localDate = (d: Date) => `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, "0")}-${String(d.getDate()).padStart(2, "0")}`;
