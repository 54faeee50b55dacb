/**
 * Where an API Gateway stage URL is served, honouring `AWS_ENDPOINT_URL` the way the AWS SDKs honour it for service
 * calls.
 *
 * A stack's execute-api URLs (`https://{apiId}.execute-api.{region}.{URLSuffix}/{stage}/`) name AWS hosts wherever
 * it is deployed: an emulator keeps `AWS::URLSuffix` as `amazonaws.com`, as AWS does. LocalStack and compatible
 * emulators (MiniStack) serve those APIs on their one endpoint instead, at `{endpoint}/_aws/execute-api/{apiId}/{stage}/…`.
 * So with an endpoint configured, an execute-api URL moves to that path; without one (AWS), nothing changes.
 */

/** The environment variables this reads: the SDKs' own. */
export interface EndpointEnvironment {
  readonly AWS_ENDPOINT_URL?: string;
  /** `true` makes the SDKs ignore AWS_ENDPOINT_URL; so does this. */
  readonly AWS_IGNORE_CONFIGURED_ENDPOINT_URLS?: string;
}

/** `{apiId}.execute-api.{region}.{suffix}`: the hostnames API Gateway gives a REST or HTTP API's default endpoint. */
const EXECUTE_API_HOST = /^([a-z0-9]+)\.execute-api\.([a-z0-9-]+)\.(.+)$/;

/** Domains of AWS itself: a request to one of them with an emulator endpoint set would leave the machine. */
const AWS_DOMAINS = ['amazonaws.com', 'amazonaws.com.cn', 'api.aws', 'c2s.ic.gov', 'sc2s.sgov.gov'];

/** The endpoint the SDKs would use for every service: AWS_ENDPOINT_URL without its trailing `/`; undefined for AWS. */
export function configuredEndpoint(env: EndpointEnvironment = process.env): string | undefined {
  if (env.AWS_IGNORE_CONFIGURED_ENDPOINT_URLS?.trim().toLowerCase() === 'true') return undefined;
  const endpoint = env.AWS_ENDPOINT_URL?.trim();
  return endpoint ? endpoint.replace(/\/+$/, '') : undefined;
}

/** True for a host of AWS itself (`*.amazonaws.com` and the other partitions' domains). */
export function isAwsHost(hostname: string): boolean {
  const host = hostname.toLowerCase().replace(/\.$/, '');
  return AWS_DOMAINS.some((domain) => host === domain || host.endsWith(`.${domain}`));
}

/**
 * The URL to call for `url`: with an endpoint configured, an execute-api URL on an AWS domain becomes
 * `{endpoint}/_aws/execute-api/{apiId}{path}{query}`; any other URL, and every URL without an endpoint, is returned
 * as it is (a copy).
 */
export function resolveExecuteApiUrl(url: URL | string, env: EndpointEnvironment = process.env): URL {
  const given = new URL(url);
  const endpoint = configuredEndpoint(env);
  if (endpoint === undefined || !isAwsHost(given.hostname)) return given;
  const match = EXECUTE_API_HOST.exec(given.hostname.toLowerCase());
  if (!match) return given;
  return new URL(`${endpoint}/_aws/execute-api/${match[1]}${given.pathname}${given.search}`);
}
