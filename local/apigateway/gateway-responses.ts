import { GatewayHttpResponse } from './gateway-http';
import { GatewayResponseConfig } from './rest-api-model';

/**
 * The errors API Gateway answers itself. All but UNRECOGNIZED_CLIENT are gateway response types; an unknown
 * access key has no type of its own in API Gateway, so it is customized through DEFAULT_4XX.
 */
export type GatewayErrorType =
  | 'MISSING_AUTHENTICATION_TOKEN'
  | 'UNAUTHORIZED'
  | 'ACCESS_DENIED'
  | 'INVALID_SIGNATURE'
  | 'UNRECOGNIZED_CLIENT'
  | 'THROTTLED'
  | 'REQUEST_TOO_LARGE'
  | 'INTEGRATION_FAILURE'
  | 'INTEGRATION_TIMEOUT'
  | 'API_CONFIGURATION_ERROR'
  | 'DEFAULT_5XX';

interface BuiltInResponse {
  /** The status API Gateway answers with when nothing is customized. */
  readonly status: number;
  /** The `x-amzn-ErrorType` header. */
  readonly errorType: string;
  readonly message: string;
}

/** Status, error header and message of each error when the API customizes nothing. */
export const BUILT_IN_RESPONSES: Readonly<Record<GatewayErrorType, BuiltInResponse>> = {
  MISSING_AUTHENTICATION_TOKEN: { status: 403, errorType: 'MissingAuthenticationTokenException', message: 'Missing Authentication Token' },
  // A COGNITO_USER_POOLS method without a valid token.
  UNAUTHORIZED: { status: 401, errorType: 'UnauthorizedException', message: 'Unauthorized' },
  ACCESS_DENIED: { status: 403, errorType: 'AccessDeniedException', message: 'Forbidden' },
  INVALID_SIGNATURE: {
    status: 403,
    errorType: 'InvalidSignatureException',
    message:
      'The request signature we calculated does not match the signature you provided. Check your AWS Secret Access Key and signing method. Consult the service documentation for details.',
  },
  UNRECOGNIZED_CLIENT: { status: 403, errorType: 'UnrecognizedClientException', message: 'The security token included in the request is invalid.' },
  THROTTLED: { status: 429, errorType: 'TooManyRequestsException', message: 'Too Many Requests' },
  REQUEST_TOO_LARGE: { status: 413, errorType: 'RequestTooLargeException', message: 'Request Too Long' },
  // A throttled Lambda reaches clients of a proxy integration as a 500, not as Lambda's 429.
  INTEGRATION_FAILURE: { status: 500, errorType: 'InternalServerErrorException', message: 'Internal server error' },
  INTEGRATION_TIMEOUT: { status: 504, errorType: 'InternalServerErrorException', message: 'Endpoint request timed out' },
  API_CONFIGURATION_ERROR: { status: 500, errorType: 'InternalServerErrorException', message: 'Internal server error' },
  // A function error or a malformed proxy response: 502, customizable only through DEFAULT_5XX.
  DEFAULT_5XX: { status: 502, errorType: 'InternalServerErrorException', message: 'Internal server error' },
};

/** The built-in body of every gateway response. */
export const DEFAULT_TEMPLATE = '{"message":$context.error.messageString}';

/** What `$context.*`, `$stageVariables.*` and `method.request.*` refer to while rendering. */
export interface ResponseContext {
  /** Keys without the `context.` prefix: `httpMethod`, `path`, `requestId`, `error.message`… */
  readonly context: Readonly<Record<string, string>>;
  readonly stageVariables: Readonly<Record<string, string>>;
  readonly requestHeader: (name: string) => string | undefined;
  readonly queryParameters: Readonly<Record<string, string>>;
  readonly pathParameters: Readonly<Record<string, string>>;
}

/**
 * Renders an API Gateway error response: status, headers and body from the API's customization of the type (or
 * of DEFAULT_4XX / DEFAULT_5XX), else API Gateway's defaults. `$context.error.message`, `messageString` (the
 * message as a quoted JSON string) and `responseType` are set here; the rest of `$context` comes from `ctx`.
 */
export function renderGatewayError(
  type: GatewayErrorType,
  message: string,
  customizations: ReadonlyMap<string, GatewayResponseConfig>,
  ctx: ResponseContext,
  extraHeaders: readonly (readonly [string, string])[] = [],
): GatewayHttpResponse {
  const builtIn = BUILT_IN_RESPONSES[type];
  const family = builtIn.status >= 500 ? 'DEFAULT_5XX' : 'DEFAULT_4XX';
  const specific = type === 'UNRECOGNIZED_CLIENT' ? undefined : customizations.get(type);
  const fallback = customizations.get(family);
  const status = specific?.statusCode ?? fallback?.statusCode ?? builtIn.status;
  const templates = nonEmpty(specific?.responseTemplates) ?? nonEmpty(fallback?.responseTemplates) ?? { 'application/json': DEFAULT_TEMPLATE };
  const [contentType, template] = pickTemplate(templates);

  const values: Record<string, string> = {
    ...prefixed('context.', ctx.context),
    ...prefixed('stageVariables.', ctx.stageVariables),
    'context.error.message': message,
    'context.error.messageString': JSON.stringify(message),
    'context.error.responseType': type,
  };
  const headers: (readonly [string, string])[] = [['Content-Type', contentType]];
  const parameters = { ...(fallback?.responseParameters ?? {}), ...(specific?.responseParameters ?? {}) };
  for (const [key, source] of Object.entries(parameters)) {
    const name = /^gatewayresponse\.header\.(.+)$/.exec(key)?.[1];
    const value = name === undefined ? undefined : parameterValue(source, ctx, values);
    if (name === undefined || value === undefined) continue;
    const existing = headers.findIndex(([h]) => h.toLowerCase() === name.toLowerCase());
    if (existing >= 0) headers.splice(existing, 1);
    headers.push([name, value]);
  }
  headers.push(['x-amzn-ErrorType', builtIn.errorType], ...extraHeaders);
  return { status, headers, body: Buffer.from(renderTemplate(template, values)) };
}

/**
 * Substitutes `$context.a.b`, `${context.a.b}`, `$stageVariables.x` and their quiet `$!` forms, as the VTL of
 * gateway response templates does for plain references. An unknown reference stays as written (`$!` renders
 * nothing). No directives (`#if`, `#set`) are evaluated.
 */
export function renderTemplate(template: string, values: Readonly<Record<string, string>>): string {
  return template.replace(
    /\$(!?)(?:\{((?:context|stageVariables)(?:\.[A-Za-z0-9_]+)+)\}|((?:context|stageVariables)(?:\.[A-Za-z0-9_]+)+))/g,
    (whole, quiet: string, braced: string | undefined, bare: string | undefined) => {
      const key = braced ?? bare ?? '';
      const value = values[key];
      if (value !== undefined) return value;
      return quiet ? '' : whole;
    },
  );
}

/** Response parameter sources: `'literal'`, `method.request.header|querystring|path.X`, `stageVariables.X`, `context.X`. */
function parameterValue(source: string, ctx: ResponseContext, values: Readonly<Record<string, string>>): string | undefined {
  const literal = /^'(.*)'$/s.exec(source);
  if (literal) return literal[1];
  const request = /^method\.request\.(header|querystring|path)\.(.+)$/.exec(source);
  if (request) {
    const [, where, name] = request;
    if (where === 'header') return ctx.requestHeader(name);
    return where === 'querystring' ? ctx.queryParameters[name] : ctx.pathParameters[name];
  }
  return values[source];
}

function pickTemplate(templates: Readonly<Record<string, string>>): [string, string] {
  if (templates['application/json'] !== undefined) return ['application/json', templates['application/json']];
  const [first] = Object.entries(templates);
  return first ?? ['application/json', DEFAULT_TEMPLATE];
}

function nonEmpty(record: Readonly<Record<string, string>> | undefined): Readonly<Record<string, string>> | undefined {
  return record && Object.keys(record).length > 0 ? record : undefined;
}

function prefixed(prefix: string, record: Readonly<Record<string, string>>): Record<string, string> {
  return Object.fromEntries(Object.entries(record).map(([key, value]) => [`${prefix}${key}`, value]));
}
