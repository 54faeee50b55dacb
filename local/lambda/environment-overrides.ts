import type { LambdaFunctionConfig } from './function-config';

/**
 * The functions with `overrides` set on top of their template environment, keyed by short name or logical id (as
 * `sam local invoke --env-vars` does). A key that names no function is an error, so a typo cannot pass unnoticed.
 */
export function withEnvironmentOverrides(
  functions: readonly LambdaFunctionConfig[],
  overrides: Readonly<Record<string, Readonly<Record<string, string>>>>,
): LambdaFunctionConfig[] {
  const unknown = Object.keys(overrides).filter((ref) => !functions.some((fn) => fn.shortName === ref || fn.logicalId === ref));
  if (unknown.length > 0) {
    throw new Error(`environmentOverrides names no function: ${unknown.join(', ')}; the functions are ${functions.map((fn) => fn.shortName).join(', ')}`);
  }
  return functions.map((fn) => {
    const extra = { ...(overrides[fn.shortName] ?? {}), ...(overrides[fn.logicalId] ?? {}) };
    return Object.keys(extra).length === 0 ? fn : { ...fn, environment: { ...fn.environment, ...extra } };
  });
}
