/** The function's answer does not have the shape of a Lambda proxy response; API Gateway answers 502. */
export class MalformedProxyResponseError extends Error {
  public constructor(public readonly problem: string) {
    super(`Malformed Lambda proxy response: ${problem}`);
    this.name = 'MalformedProxyResponseError';
  }
}

/** The HTTP response a proxy integration's result maps to. */
export interface MappedProxyResponse {
  readonly status: number;
  readonly headers: readonly (readonly [string, string])[];
  readonly body: Buffer;
}

/**
 * Maps a function's result (the Invoke payload, JSON) to the HTTP response, as API Gateway does for a Lambda
 * proxy integration: `statusCode` (required), `headers` and `multiValueHeaders` (merged; for a name in both, the
 * multi-value list wins), `body` (a string, base64-decoded when `isBase64Encoded`). Anything else throws
 * MalformedProxyResponseError. Content-Type defaults to application/json, as API Gateway's does.
 */
export function mapProxyResponse(payload: string): MappedProxyResponse {
  let result: unknown;
  try {
    result = JSON.parse(payload);
  } catch {
    throw new MalformedProxyResponseError('the payload is not JSON');
  }
  if (typeof result !== 'object' || result === null || Array.isArray(result)) {
    throw new MalformedProxyResponseError(`expected an object with statusCode, got ${Array.isArray(result) ? 'an array' : JSON.stringify(result)}`);
  }
  const { statusCode, headers, multiValueHeaders, body, isBase64Encoded } = result as Record<string, unknown>;
  const status = typeof statusCode === 'string' && /^\d+$/.test(statusCode) ? Number(statusCode) : statusCode;
  if (typeof status !== 'number' || !Number.isInteger(status) || status < 100 || status > 599) {
    throw new MalformedProxyResponseError(`statusCode must be an HTTP status code, got ${JSON.stringify(statusCode)}`);
  }
  if (body !== undefined && body !== null && typeof body !== 'string') {
    throw new MalformedProxyResponseError(`body must be a string, got ${typeof body}`);
  }
  if (isBase64Encoded !== undefined && isBase64Encoded !== null && typeof isBase64Encoded !== 'boolean') {
    throw new MalformedProxyResponseError(`isBase64Encoded must be a boolean, got ${JSON.stringify(isBase64Encoded)}`);
  }

  const merged = new Map<string, [string, string[]]>();
  for (const [name, value] of Object.entries(objectOrEmpty(headers, 'headers'))) {
    if (value === null || value === undefined) continue;
    merged.set(name.toLowerCase(), [name, [scalar(value, `headers.${name}`)]]);
  }
  for (const [name, values] of Object.entries(objectOrEmpty(multiValueHeaders, 'multiValueHeaders'))) {
    if (values === null || values === undefined) continue;
    if (!Array.isArray(values)) throw new MalformedProxyResponseError(`multiValueHeaders.${name} must be a list`);
    merged.set(name.toLowerCase(), [name, values.map((v, i) => scalar(v, `multiValueHeaders.${name}[${i}]`))]);
  }
  if (!merged.has('content-type')) merged.set('content-type', ['Content-Type', ['application/json']]);

  const text = typeof body === 'string' ? body : '';
  return {
    status,
    headers: [...merged.values()].flatMap(([name, values]) => values.map((value): [string, string] => [name, value])),
    body: isBase64Encoded === true ? Buffer.from(text, 'base64') : Buffer.from(text, 'utf8'),
  };
}

function objectOrEmpty(value: unknown, field: string): Record<string, unknown> {
  if (value === undefined || value === null) return {};
  if (typeof value !== 'object' || Array.isArray(value)) throw new MalformedProxyResponseError(`${field} must be an object`);
  return value as Record<string, unknown>;
}

function scalar(value: unknown, field: string): string {
  if (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean') return String(value);
  throw new MalformedProxyResponseError(`${field} must be a string, number or boolean`);
}
