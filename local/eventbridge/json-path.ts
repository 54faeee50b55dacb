/**
 * The JSONPath EventBridge accepts in a target's `InputPath`, `InputTransformer.InputPathsMap` and
 * `KinesisParameters.PartitionKeyPath`: `$`, `.name` (hyphens allowed: `$.detail-type`), `['name']`, `[index]`,
 * and the wildcards `.*` / `[*]` (which collect every match into an array).
 */
import { isRecord } from '../shared/json';

/** A path EventBridge would reject when the rule is created. */
export class InvalidJsonPathError extends Error {
  public constructor(
    public readonly path: string,
    reason: string,
  ) {
    super(`Invalid JSONPath ${path}: ${reason}`);
    this.name = 'InvalidJsonPathError';
  }
}

type Step = { readonly kind: 'name'; readonly name: string } | { readonly kind: 'index'; readonly index: number } | { readonly kind: 'all' };

/** What a path selects: nothing, or a value (an array of every match when the path has a wildcard). */
export type JsonPathResult = { readonly found: false } | { readonly found: true; readonly value: unknown };

/** Parses a path once; throws InvalidJsonPathError. */
export function parseJsonPath(path: string): readonly Step[] {
  if (!path.startsWith('$')) throw new InvalidJsonPathError(path, 'it must start with $');
  const steps: Step[] = [];
  let i = 1;
  while (i < path.length) {
    const char = path[i];
    if (char === '.') {
      const match = /^\.(\*|[^.[\]]+)/.exec(path.slice(i));
      if (!match) throw new InvalidJsonPathError(path, `a name must follow the dot at ${i}`);
      steps.push(match[1] === '*' ? { kind: 'all' } : { kind: 'name', name: match[1] });
      i += match[0].length;
    } else if (char === '[') {
      const match = /^\[\s*(?:(\*)|(\d+)|'((?:[^'\\]|\\.)*)'|"((?:[^"\\]|\\.)*)")\s*\]/.exec(path.slice(i));
      if (!match) throw new InvalidJsonPathError(path, `unreadable bracket at ${i}`);
      if (match[1] !== undefined) steps.push({ kind: 'all' });
      else if (match[2] !== undefined) steps.push({ kind: 'index', index: Number(match[2]) });
      else steps.push({ kind: 'name', name: (match[3] ?? match[4]).replace(/\\(.)/g, '$1') });
      i += match[0].length;
    } else {
      throw new InvalidJsonPathError(path, `unexpected '${char}' at ${i}`);
    }
  }
  return steps;
}

/** Evaluates `path` against `document`. */
export function evaluateJsonPath(path: string, document: unknown): JsonPathResult {
  const steps = parseJsonPath(path);
  const wildcard = steps.some((step) => step.kind === 'all');
  let current: unknown[] = [document];
  for (const step of steps) {
    const next: unknown[] = [];
    for (const value of current) {
      if (step.kind === 'name') {
        if (isRecord(value) && Object.hasOwn(value, step.name)) next.push(value[step.name]);
      } else if (step.kind === 'index') {
        if (Array.isArray(value) && step.index < value.length) next.push(value[step.index]);
      } else if (Array.isArray(value)) {
        next.push(...value);
      } else if (isRecord(value)) {
        next.push(...Object.values(value));
      }
    }
    current = next;
  }
  if (wildcard) return { found: true, value: current };
  return current.length === 0 ? { found: false } : { found: true, value: current[0] };
}
