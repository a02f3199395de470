/**
 * A store's business hours (DOMAIN.md, "Before taking orders"): when it takes counter
 * orders, hands over pick-ups and sends people on site, on the store's own clock.
 * Arithmetic in the store's local minutes (Intl gives the wall clock of an instant), so
 * no date library is needed: an interval of the week is a range of local minutes.
 */
export interface BusinessHours {
  /** Opening time on the store's clock, "HH:MM". */
  open: string;
  /** Closing time, "HH:MM", "24:00" for midnight; earlier than `open`: it closes after midnight. */
  close: string;
  /** The days it opens (the day an opening starts), ISO numbering: 1 = Monday … 7 = Sunday. */
  days: number[];
  /** The store's IANA time zone, e.g. "Asia/Shanghai": the clock the hours are on. */
  timeZone: string;
}

const minutesPerDay = 24 * 60;
const dayNames = ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"] as const;
const clockTime = /^(\d{2}):(\d{2})$/;

/** "HH:MM" as minutes after midnight (24:00 is 1440), or undefined when it is not a time of day. */
export function minutesOfClock(time: string): number | undefined {
  const match = clockTime.exec(time);
  if (!match) return undefined;
  const minutes = Number(match[1]) * 60 + Number(match[2]);
  return Number(match[2]) < 60 && minutes <= minutesPerDay ? minutes : undefined;
}

/** What is wrong with hours as a store publishes them (one message), or undefined when they can be used. */
export function businessHoursProblem(hours: BusinessHours): string | undefined {
  const open = minutesOfClock(hours.open);
  const close = minutesOfClock(hours.close);
  if (open === undefined || open === minutesPerDay) return "open must be a time of day, 00:00 to 23:59";
  if (close === undefined || close === 0) return "close must be a time of day, 00:01 to 24:00";
  if (open === close) return "open and close must differ";
  if (hours.days.some((d) => !Number.isInteger(d) || d < 1 || d > 7)) return "days must be 1 (Monday) to 7 (Sunday)";
  if (!isTimeZone(hours.timeZone)) return "timezone must be an IANA time zone, e.g. Asia/Shanghai";
  return undefined;
}

/** True when the store is open at the instant. */
export function isOpenAt(hours: BusinessHours, instant: Date): boolean {
  const local = localMinutesOf(instant, hours.timeZone);
  return overlapsOpening(hours, local, local + 1);
}

/**
 * True when the window [from, until) meets an opening of the store on one of its open
 * days; a window without an end is the moment `from`. Across a daylight-saving change the
 * window's local length is off by the hour the clock moved, which is as a person reads it.
 */
export function windowMeetsOpening(hours: BusinessHours, from: Date, until?: Date): boolean {
  const start = localMinutesOf(from, hours.timeZone);
  const end = until ? localMinutesOf(until, hours.timeZone) : start + 1;
  return end > start && overlapsOpening(hours, start, end);
}

/** The hours as a customer reads them, e.g. "open Mon–Sat 09:00–21:00 (Asia/Shanghai)". */
export function describeBusinessHours(hours: BusinessHours): string {
  if (hours.days.length === 0) return `not open on any day (${hours.timeZone})`;
  return `open ${describeDays(hours.days)} ${hours.open}–${hours.close} (${hours.timeZone})`;
}

/** Openings starting on the local days the window touches (the day before too: an opening may run past midnight). */
function overlapsOpening(hours: BusinessHours, start: number, end: number): boolean {
  const open = minutesOfClock(hours.open);
  const close = minutesOfClock(hours.close);
  if (open === undefined || close === undefined || open === close) return false;
  const length = close > open ? close - open : close + minutesPerDay - open;
  const firstDay = Math.floor(start / minutesPerDay) - 1;
  // The week repeats: a window longer than that meets an opening if any day opens.
  const lastDay = Math.min(Math.floor((end - 1) / minutesPerDay), firstDay + 8);
  const days = new Set(hours.days);
  for (let day = firstDay; day <= lastDay; day++) {
    if (!days.has(isoDayOf(day))) continue;
    const opensAt = day * minutesPerDay + open;
    if (opensAt < end && start < opensAt + length) return true;
  }
  return false;
}

/** ISO day of week of a day counted from 1970-01-01, a Thursday (4). */
function isoDayOf(epochDay: number): number {
  return (((epochDay + 3) % 7) + 7) % 7 + 1;
}

const wallClocks = new Map<string, Intl.DateTimeFormat>();

function wallClockOf(timeZone: string): Intl.DateTimeFormat {
  let format = wallClocks.get(timeZone);
  if (!format) {
    format = new Intl.DateTimeFormat("en-US", {
      timeZone,
      hourCycle: "h23",
      year: "numeric",
      month: "numeric",
      day: "numeric",
      hour: "numeric",
      minute: "numeric",
    });
    wallClocks.set(timeZone, format);
  }
  return format;
}

/** Per zone, the UTC minute last asked about and its local minute (see localMinutesOf). */
const lastMinuteOf = new Map<string, { utcMinute: number; localMinute: number }>();

/**
 * The instant's wall-clock time in the zone, as minutes since 1970-01-01 00:00 on that
 * clock. Orders arrive hundreds a minute and Intl's formatting costs microseconds, so the
 * answer for a UTC minute is kept per zone, when the whole minute shows one local minute
 * (it does unless the zone's offset has seconds, as some did before 1972).
 */
function localMinutesOf(instant: Date, timeZone: string): number {
  const time = instant.getTime();
  const utcMinute = Math.floor(time / 60_000);
  const last = lastMinuteOf.get(timeZone);
  if (last?.utcMinute === utcMinute) return last.localMinute;
  const localMinute = formattedLocalMinutes(time, timeZone);
  const [first, final] = [utcMinute * 60_000, utcMinute * 60_000 + 59_999];
  const wholeMinute = (time === first || formattedLocalMinutes(first, timeZone) === localMinute) && (time === final || formattedLocalMinutes(final, timeZone) === localMinute);
  if (wholeMinute) lastMinuteOf.set(timeZone, { utcMinute, localMinute });
  return localMinute;
}

function formattedLocalMinutes(time: number, timeZone: string): number {
  const parts: Record<string, number> = {};
  for (const part of wallClockOf(timeZone).formatToParts(time)) {
    if (part.type !== "literal") parts[part.type] = Number(part.value);
  }
  const { year = 1970, month = 1, day = 1, hour = 0, minute = 0 } = parts;
  return Math.floor(Date.UTC(year, month - 1, day, hour, minute) / 60_000);
}

/** Whether the runtime knows the name as an IANA time zone (e.g. Asia/Shanghai). */
export function isTimeZone(timeZone: string): boolean {
  try {
    wallClockOf(timeZone);
    return true;
  } catch {
    return false;
  }
}

/** Consecutive days as ranges: [1,2,3,4,5,6] → "Mon–Sat", [1,3,5] → "Mon, Wed, Fri", all → "every day". */
function describeDays(days: readonly number[]): string {
  const sorted = [...new Set(days)].sort((a, b) => a - b);
  if (sorted.length === 7) return "every day";
  const ranges: string[] = [];
  for (let i = 0; i < sorted.length; ) {
    let j = i;
    while (j + 1 < sorted.length && sorted[j + 1] === sorted[j]! + 1) j++;
    const first = dayNames[sorted[i]! - 1];
    const last = dayNames[sorted[j]! - 1];
    ranges.push(j === i ? first! : j === i + 1 ? `${first}, ${last}` : `${first}–${last}`);
    i = j + 1;
  }
  return ranges.join(", ");
}
