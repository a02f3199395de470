/**
 * Gathers what is handed over within one turn of the event loop and works on it together.
 * kafkajs hands every partition's batch of a fetch over in the same turn (when enough
 * partitions are consumed concurrently), so the consumer applies them in one transaction.
 *
 * `add` resolves true when the item was worked on together with others and `together`
 * succeeded; false when it came alone or `together` failed — the caller then works on
 * it on its own. `together` never sees fewer than two items.
 */
export class SameTurnGatherer<T> {
  readonly #together: (items: T[]) => Promise<void>;
  readonly #onFailure: (error: unknown, count: number) => void;
  #pending: { item: T; resolve: (together: boolean) => void }[] = [];

  constructor(together: (items: T[]) => Promise<void>, onFailure: (error: unknown, count: number) => void) {
    this.#together = together;
    this.#onFailure = onFailure;
  }

  add(item: T): Promise<boolean> {
    return new Promise((resolve) => {
      this.#pending.push({ item, resolve });
      if (this.#pending.length === 1) setImmediate(() => void this.#work());
    });
  }

  async #work(): Promise<void> {
    const group = this.#pending;
    this.#pending = [];
    if (group.length === 1) return group[0]!.resolve(false);
    try {
      await this.#together(group.map((g) => g.item));
      for (const g of group) g.resolve(true);
    } catch (error) {
      this.#onFailure(error, group.length);
      for (const g of group) g.resolve(false);
    }
  }
}
