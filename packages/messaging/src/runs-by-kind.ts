/**
 * Groups a batch's steps into as few runs of one kind as the order of each key allows, so
 * a consumer can apply each run set-wise with one statement.
 *
 * Kafka orders messages per key (an order id) and nothing across keys, so only the steps
 * of one key must stay in the order they came. Step i of every key belongs to wave i;
 * within a wave each key has one step, so the wave's steps can be grouped by kind freely.
 * A batch where every order brings "acceptance, then close" is two runs, not two per order.
 * Runs come wave by wave, kinds within a wave in the order they first appear.
 */
export function runsByKind<S>(steps: readonly S[], keyOf: (step: S) => string, kindOf: (step: S) => string): S[][] {
  const waves: Map<string, S[]>[] = [];
  const stepsSeen = new Map<string, number>();
  for (const step of steps) {
    const key = keyOf(step);
    const wave = stepsSeen.get(key) ?? 0;
    stepsSeen.set(key, wave + 1);
    const runs = (waves[wave] ??= new Map());
    const kind = kindOf(step);
    const run = runs.get(kind);
    if (run) run.push(step);
    else runs.set(kind, [step]);
  }
  return waves.flatMap((runs) => [...runs.values()]);
}
