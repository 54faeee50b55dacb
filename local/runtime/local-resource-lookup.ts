/** A queue or stream the runtime does not have under that name. */
export class UnknownLocalResourceError extends Error {
  constructor(kind: string, ref: string, known: readonly string[]) {
    super(`No ${kind} answers to ${ref}. Known: ${known.join(', ') || '(none)'}`);
    this.name = 'UnknownLocalResourceError';
  }
}

/**
 * The one resource whose logical id or name is `ref`, or whose logical id starts with it (as hand-typed names
 * do: `NotificationsQueue`); throws UnknownLocalResourceError otherwise (also when a prefix fits several).
 */
export function findLocalResource<T extends { readonly logicalId: string; readonly name: string }>(kind: string, resources: readonly T[], ref: string): T {
  const exact = resources.find((resource) => resource.logicalId === ref || resource.name === ref);
  if (exact) return exact;
  const prefixed = ref.length > 0 ? resources.filter((resource) => resource.logicalId.startsWith(ref)) : [];
  if (prefixed.length === 1) return prefixed[0];
  throw new UnknownLocalResourceError(kind, ref, resources.map((resource) => resource.logicalId));
}
