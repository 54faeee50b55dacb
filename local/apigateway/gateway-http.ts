/** A request as the local API Gateway receives it, whichever port it came in on. */
export interface GatewayHttpRequest {
  readonly method: string;
  /** The stage named by the first path segment. */
  readonly stage: string;
  /** The path after the stage, still percent-encoded: `/products/SKU-1`. */
  readonly path: string;
  /** The query string without `?`, still encoded; empty when absent. */
  readonly rawQuery: string;
  /** The path exactly as it was on the wire (what a SigV4 signature covers). */
  readonly wirePath: string;
  /** Headers in arrival order with their original case. */
  readonly headers: readonly (readonly [string, string])[];
  readonly body: Buffer;
  readonly sourceIp: string;
  /** e.g. `HTTP/1.1`. */
  readonly protocol: string;
}

/** What the local API Gateway answers. Headers keep their case; a name may repeat (Set-Cookie). */
export interface GatewayHttpResponse {
  readonly status: number;
  readonly headers: readonly (readonly [string, string])[];
  readonly body: Buffer;
}

/** The last value of a header (case-insensitive), as API Gateway's single-value `headers` keeps it. */
export function headerValue(headers: readonly (readonly [string, string])[], name: string): string | undefined {
  const lower = name.toLowerCase();
  let found: string | undefined;
  for (const [key, value] of headers) if (key.toLowerCase() === lower) found = value;
  return found;
}
