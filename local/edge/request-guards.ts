/**
 * What the local runtime refuses before any service sees a request. The runtime listens on 127.0.0.1 only, but a web
 * page the developer visits can still reach it: its script may call `http://127.0.0.1:4566/…` directly, or rebind
 * its own DNS name to 127.0.0.1 (DNS rebinding) and call the runtime as if it were its own origin. Two guards close
 * that, for the edge (every service and the `/_local/` control API) and every REST API port alike:
 *
 * - **Host**: a request is answered only when its `Host` names this machine's loopback (`localhost`, `*.localhost`,
 *   `127.0.0.0/8`, `[::1]`, any port). A rebound page's requests carry the page's own name; anything else is `403`.
 * - **The control API takes JSON**: a request that may change state under `/_local/` (any method but GET, HEAD and
 *   OPTIONS) must say `content-type: application/json`. A cross-origin page can send a "simple" request (a form
 *   POST, `text/plain`) without asking first, but not that header: it needs a CORS preflight, which the runtime
 *   never answers. Otherwise `415`.
 *
 * Both refusals are `application/problem+json` (RFC 9457).
 */
import { BlockList, isIPv4, isIPv6 } from 'node:net';

/** The project's problem-type base (as `lambdas/shared/http/problem-response.ts` has it): the URIs identify, never resolve. */
const PROBLEM_TYPE_BASE = 'https://hybrid-shop.example/problems/';

/** Where the control API lives, on the edge. */
export const CONTROL_API_PREFIX = '/_local/';

/** Methods that never change state: the control API takes them with any body and content type. */
const SAFE_METHODS: ReadonlySet<string> = new Set(['GET', 'HEAD', 'OPTIONS']);

/** The longest piece of a refused header echoed in a problem's detail. */
const ECHO_LIMIT = 200;

const LOOPBACK_ADDRESSES = new BlockList();
LOOPBACK_ADDRESSES.addSubnet('127.0.0.0', 8, 'ipv4');
LOOPBACK_ADDRESSES.addAddress('::1', 'ipv6');

/** An RFC 9457 problem details document. */
export interface Problem {
  readonly type: string;
  readonly title: string;
  readonly status: number;
  readonly detail: string;
}

/** A request the runtime refuses, and the answer it gets. */
export interface Refusal {
  readonly status: number;
  readonly headers: Readonly<Record<string, string>>;
  readonly body: string;
}

function refusal(problem: Problem): Refusal {
  return { status: problem.status, headers: { 'content-type': 'application/problem+json' }, body: JSON.stringify(problem) };
}

function echo(text: string): string {
  return text.length > ECHO_LIMIT ? `${text.slice(0, ECHO_LIMIT)}…` : text;
}

/**
 * True when a `Host` header value names this machine's loopback: `localhost` or a name under `.localhost` (RFC 6761:
 * both always resolve to loopback), an IPv4 address in 127.0.0.0/8, or `[::1]`; with or without a port. Anything else
 * (another name, another address, no Host at all) is false.
 */
export function isLoopbackHost(host: string | undefined): boolean {
  const value = host?.trim().toLowerCase() ?? '';
  if (value.startsWith('[')) {
    const end = value.indexOf(']');
    const address = value.slice(1, end);
    return end > 0 && /^(?::\d+)?$/.test(value.slice(end + 1)) && isIPv6(address) && LOOPBACK_ADDRESSES.check(address, 'ipv6');
  }
  const match = /^([^:]+)(?::\d+)?$/.exec(value);
  if (match === null) return false;
  // A fully qualified name may end with a dot: `localhost.` is `localhost`.
  const name = match[1].replace(/\.$/, '');
  if (name === 'localhost' || name.endsWith('.localhost')) return true;
  return isIPv4(name) && LOOPBACK_ADDRESSES.check(name, 'ipv4');
}

/** The `403` for a request whose `Host` is not a loopback name or address (see `isLoopbackHost`); undefined when it is. */
export function refuseForeignHost(host: string | undefined): Refusal | undefined {
  if (isLoopbackHost(host)) return undefined;
  const named = host === undefined || host.trim() === '' ? 'The request has no Host header' : `Host '${echo(host)}' is not a loopback name or address`;
  return refusal({
    type: `${PROBLEM_TYPE_BASE}host-not-loopback`,
    title: 'Forbidden',
    status: 403,
    detail: `${named}: the local runtime answers only requests addressed to localhost, *.localhost, 127.0.0.0/8 or [::1] (so a web page cannot reach it by rebinding its own name to 127.0.0.1).`,
  });
}

/**
 * The `415` for a request that may change state under `/_local/` (any method but GET, HEAD and OPTIONS) and does not
 * say `content-type: application/json` (parameters such as `charset` allowed); undefined for every other request.
 */
export function refuseControlWithoutJson(method: string, pathname: string, contentType: string | undefined): Refusal | undefined {
  if (!pathname.startsWith(CONTROL_API_PREFIX) || SAFE_METHODS.has(method.toUpperCase())) return undefined;
  const mediaType = (contentType ?? '').split(';')[0].trim().toLowerCase();
  if (mediaType === 'application/json') return undefined;
  const given = contentType === undefined || contentType.trim() === '' ? 'no content-type' : `content-type '${echo(contentType)}'`;
  return refusal({
    type: `${PROBLEM_TYPE_BASE}unsupported-media-type`,
    title: 'Unsupported Media Type',
    status: 415,
    detail: `${method.toUpperCase()} ${echo(pathname)} has ${given}: the control API changes state only for 'content-type: application/json' requests (a web page cannot send that header cross-origin without a CORS preflight).`,
  });
}
