/**
 * `items` in an order where each comes after the items it depends on, found depth first (otherwise in the order
 * given). `dependenciesOf` names an item's dependencies by key; a key that names none of `items` is passed over.
 *
 * A dependency on an item whose walk is under way closes a cycle: `onCycle` gets the walk that closed it, from the
 * item the walk began at to the repeated key (`cycleOf` cuts the cycle out of it). It may throw; when it returns, the
 * walk goes on as if that dependency were met.
 */
export function dependencyOrder<T>(
  items: readonly T[],
  keyOf: (item: T) => string,
  dependenciesOf: (item: T) => Iterable<string>,
  onCycle: (walk: readonly string[]) => void,
): T[] {
  const byKey = new Map(items.map((item) => [keyOf(item), item]));
  const ordered: T[] = [];
  const state = new Map<string, 'visiting' | 'done'>();
  const visit = (item: T, path: readonly string[]): void => {
    const key = keyOf(item);
    const seen = state.get(key);
    if (seen === 'done') return;
    if (seen === 'visiting') {
      onCycle([...path, key]);
      return;
    }
    state.set(key, 'visiting');
    for (const dependency of dependenciesOf(item)) {
      const used = byKey.get(dependency);
      if (used !== undefined) visit(used, [...path, key]);
    }
    state.set(key, 'done');
    ordered.push(item);
  };
  for (const item of items) visit(item, []);
  return ordered;
}

/** The cycle a walk given to `onCycle` closed: `a → b → c → b` → `b → c → b`. */
export function cycleOf(walk: readonly string[]): string[] {
  return walk.slice(walk.indexOf(walk[walk.length - 1]));
}
