/**
 * Percentiles by the nearest-rank method over all samples (kept in full: a run holds at
 * most a few hundred thousand numbers, and exact tails beat histogram buckets here).
 */
export interface Percentiles {
  count: number;
  p50: number;
  p90: number;
  p99: number;
  max: number;
  mean: number;
}

export class Samples {
  #values = new Float64Array(1024);
  #count = 0;

  add(value: number): void {
    if (this.#count === this.#values.length) {
      const grown = new Float64Array(this.#values.length * 2);
      grown.set(this.#values);
      this.#values = grown;
    }
    this.#values[this.#count++] = value;
  }

  get count(): number {
    return this.#count;
  }

  percentiles(): Percentiles {
    return percentilesOf(this.#values.subarray(0, this.#count));
  }
}

export function percentilesOf(values: ArrayLike<number>): Percentiles {
  const sorted = Float64Array.from(values).sort();
  const n = sorted.length;
  if (n === 0) return { count: 0, p50: 0, p90: 0, p99: 0, max: 0, mean: 0 };
  const rank = (p: number) => round(sorted[Math.min(n - 1, Math.max(0, Math.ceil((p / 100) * n) - 1))]!);
  let sum = 0;
  for (const v of sorted) sum += v;
  return { count: n, p50: rank(50), p90: rank(90), p99: rank(99), max: round(sorted[n - 1]!), mean: round(sum / n) };
}

function round(value: number): number {
  return Math.round(value * 10) / 10;
}

/** Values bucketed by whole second from a start time, for charts over time. */
export class PerSecond {
  readonly #buckets = new Map<number, number[]>();
  readonly #start: number;

  constructor(startEpochMs: number) {
    this.#start = startEpochMs;
  }

  add(atEpochMs: number, value: number): void {
    const second = Math.floor((atEpochMs - this.#start) / 1000);
    let bucket = this.#buckets.get(second);
    if (!bucket) this.#buckets.set(second, (bucket = []));
    bucket.push(value);
  }

  /** One row per second from 0 to the last second seen: count and percentiles. */
  series(): { second: number; count: number; p50: number; p99: number; max: number }[] {
    const last = Math.max(-1, ...this.#buckets.keys());
    const rows = [];
    for (let second = 0; second <= last; second++) {
      const p = percentilesOf(this.#buckets.get(second) ?? []);
      rows.push({ second, count: p.count, p50: p.p50, p99: p.p99, max: p.max });
    }
    return rows;
  }
}
