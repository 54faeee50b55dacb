import { isRecord } from './json';

/** An error that names every problem of an injected fault (`InvalidFaultError`, `InvalidPutEventsFaultError`). */
export type FaultErrorClass = new (problems: readonly string[]) => Error;

/**
 * The fields of an injected fault (from code or from a JSON body), to be checked one by one: throws `FaultError` when
 * the fault is no JSON object (`example` shows one), else answers its fields and a problem for each one not `known`.
 */
export function faultFields(
  value: unknown,
  known: readonly string[],
  example: string,
  FaultError: FaultErrorClass,
): { readonly fields: Readonly<Record<string, unknown>>; readonly problems: string[] } {
  if (!isRecord(value)) throw new FaultError([`a fault is a JSON object such as ${example}`]);
  const use = `${known.slice(0, -1).join(', ')} or ${known[known.length - 1]}`;
  const problems = Object.keys(value)
    .filter((key) => !known.includes(key))
    .map((key) => `unknown field '${key}': use ${use}`);
  return { fields: value, problems };
}
