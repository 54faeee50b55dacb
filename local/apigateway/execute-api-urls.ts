/** Where one API is served locally. */
export interface LocalApiEndpoint {
  readonly apiId: string;
  /** The API's local origin, e.g. `http://127.0.0.1:3001`. */
  readonly localOrigin: string;
}

/**
 * Rewrites an execute-api URL of a local API to the API's local port, keeping the stage path:
 * `https://{apiId}.execute-api.{region}.{urlSuffix}/prod/x` → `http://127.0.0.1:3001/prod/x`.
 *
 * Difference from AWS (also in the README): functions and stack outputs see the local URL instead of the
 * execute-api hostname, because nothing local resolves `*.execute-api.amazonaws.com`. A value that is not an
 * execute-api URL of a known API is returned unchanged.
 */
export function rewriteExecuteApiUrl(value: string, endpoints: readonly LocalApiEndpoint[], region: string, urlSuffix: string): string {
  for (const endpoint of endpoints) {
    const prefix = `https://${endpoint.apiId}.execute-api.${region}.${urlSuffix}`;
    if (value === prefix || value.startsWith(`${prefix}/`)) return `${endpoint.localOrigin}${value.slice(prefix.length)}`;
  }
  return value;
}
