/**
 * A statement's parameters, numbered as the fragments of the statement are written: each
 * `add` returns the placeholder (`$1`, `$2`, …) of the value it keeps. Lets the steps of
 * one data-modifying `WITH`, written by different modules, share one parameter list.
 * Adding the same kinds of values in the same order always yields the same text, so the
 * statement is prepared once per connection like any other.
 */
export class StatementParameters {
  readonly values: unknown[] = [];

  add(value: unknown): string {
    this.values.push(value);
    return `$${this.values.length}`;
  }

  /** An array of `elementType` values, cast so that `unnest` knows its type: `$n::text[]`. */
  addArray(values: readonly unknown[], elementType: string): string {
    return `${this.add(values)}::${elementType}[]`;
  }
}
