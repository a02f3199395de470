/**
 * Whether intake kept up with the offered rate, from the answers of the measured window's
 * orders counted by the second they arrived. A single second says little at thousands per
 * second: intake commits up to a hundred orders at once, so a commit landing just after a
 * second's boundary moves its whole batch to the next second (runs at 2,000/s showed
 * seconds of 1,718 next to 2,299 at a median latency of 24 ms, no stall in either). Five
 * seconds smooth that and still show a stall of half a second; the share of the window's
 * orders answered within it shows a queue that grows.
 */
export interface SustainedRate {
  /** Answers that arrived within the window, per second of it. */
  answeredPerSecond: number;
  /** The lowest mean over five consecutive seconds of the window (its first second left out: its orders are still on their way). */
  lowestFiveSeconds: number;
  /** The lowest single second, the first and the last left out. */
  lowestSecond: number;
}

const spanS = 5;

export function sustainedRate(series: { second: number; count: number }[], windowS: number): SustainedRate {
  const counts = Array.from({ length: windowS }, (_, second) => series.find((row) => row.second === second)?.count ?? 0);
  const answered = counts.reduce((sum, n) => sum + n, 0);
  let lowestFive = Number.POSITIVE_INFINITY;
  for (let start = 1; start + spanS <= windowS; start++) {
    const span = counts.slice(start, start + spanS).reduce((sum, n) => sum + n, 0);
    lowestFive = Math.min(lowestFive, span / spanS);
  }
  const inner = counts.slice(1, -1);
  return {
    answeredPerSecond: round(answered / Math.max(1, windowS)),
    lowestFiveSeconds: Number.isFinite(lowestFive) ? round(lowestFive) : 0,
    lowestSecond: inner.length > 0 ? Math.min(...inner) : 0,
  };
}

/** The "≥ 2,000 accepted orders/s for 60 s": every order offered accepted, 99 % of them answered within the window, no five seconds below 95 %. */
export function sustains(rate: SustainedRate & { acceptedPerSecond: number }, target: number): boolean {
  return rate.acceptedPerSecond >= target && rate.answeredPerSecond >= 0.99 * target && rate.lowestFiveSeconds >= 0.95 * target;
}

function round(value: number): number {
  return Math.round(value * 10) / 10;
}
