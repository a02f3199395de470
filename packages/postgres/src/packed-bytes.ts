/**
 * Binary values for a set-based statement, packed into one `bytea` parameter with where
 * each one starts and how long it is (`substring($n::bytea FROM start FOR length)` cuts
 * them out again). In a `bytea[]` parameter node-postgres writes every value as a hex
 * string inside an array literal: twice the bytes, and strings to collect.
 */
export interface PackedBytes {
  bytes: Buffer;
  /** Where each value starts, counted from 1 as `substring` counts. */
  starts: number[];
  lengths: number[];
}

export function packBytes(values: readonly Uint8Array[]): PackedBytes {
  const starts: number[] = [];
  const lengths: number[] = [];
  let next = 1;
  for (const value of values) {
    starts.push(next);
    lengths.push(value.length);
    next += value.length;
  }
  return { bytes: Buffer.concat(values), starts, lengths };
}
