/**
 * IAM on PutEvents, as EventBridge does it for a caller with an identity policy: the caller's role must allow
 * `events:PutEvents` on the ARN of each event bus the request's entries name, with the request context keys
 * `events:source` and `events:detail-type` (multivalued: the distinct sources and detail types of that bus's entries).
 * A bus that is not allowed fails the whole call with HTTP 400 `AccessDeniedException`, in IAM's words:
 * `User: arn:aws:sts::…:assumed-role/Role/fn is not authorized to perform: events:PutEvents on resource:
 * arn:aws:events:…:event-bus/… because no identity-based policy allows the events:PutEvents action` (or `with an
 * explicit deny in an identity-based policy`).
 *
 * Who is checked: a request signed with a function's own access key (the runtime hands one to each function). Its
 * SigV4 signature is verified for real (`verifySigV4`, service `events`) over the request as the edge received it —
 * method, path, query, headers and body — before its policies are. Everyone else is served as today, unchecked: the
 * admin pair (`test`/`test`: the suite, the CLI, the seed script), a key the runtime did not hand out (LocalStack
 * accepts any), and an unsigned request.
 *
 * The request is validated (`validatePutEventsRequest`) before it is authorized, as AWS checks a request's shape
 * before its permissions; entries that fail on their own (a missing Source…) are left out of the context keys.
 */
import { headerPairs, type EdgeRequest } from '../edge/edge-server';
import type { ApiCaller, CallerDirectory } from '../iam/api-callers';
import { evaluatePolicy, type PolicyDecision } from '../iam/iam-policy';
import { verifySigV4, type SigV4Verdict } from '../iam/sigv4-verifier';
import { validatePutEventsRequest } from './event-envelope';
import { EventBridgeApiError } from './eventbridge-errors';

export const PUT_EVENTS_ACTION = 'events:PutEvents';

export interface PutEventsAuthorizationOptions {
  /** Who may sign: the admin and each function, by access key. */
  readonly callers: CallerDirectory;
  /** The region the buses live in, and the one a signature's credential scope must name. */
  readonly region: string;
  readonly accountId: string;
  /**
   * @default 'aws'
   */
  readonly partition?: string;
  /**
   * The verifier's clock, for signature expiry.
   *
   * @default - the current time
   */
  readonly now?: () => Date;
  /**
   * Told of every PutEvents refused (signature or policy), with the message the caller gets.
   *
   * @default - nobody is told
   */
  readonly onRefused?: (refusal: PutEventsRefusal) => void;
}

/** A PutEvents the runtime refused, and why. */
export interface PutEventsRefusal {
  /** The caller's ARN, e.g. `arn:aws:sts::000000000000:assumed-role/Role/fn`. */
  readonly caller: string;
  readonly errorType: string;
  readonly message: string;
}

/**
 * Resolves when the PutEvents `input`, received as `req`, may go ahead; throws `EventBridgeApiError` (a bad request,
 * a bad signature, `AccessDeniedException`) when it may not.
 */
export async function authorizePutEvents(req: EdgeRequest, input: Readonly<Record<string, unknown>>, options: PutEventsAuthorizationOptions): Promise<void> {
  const accessKeyId = signingAccessKey(req);
  const caller = accessKeyId === undefined ? undefined : options.callers.find(accessKeyId);
  if (caller === undefined || caller.statements === 'all') return;
  const refuse = (error: EventBridgeApiError): never => {
    options.onRefused?.({ caller: caller.arn, errorType: error.errorType, message: error.message });
    throw error;
  };

  const verdict = await verifySigV4(
    {
      method: req.method,
      wirePath: req.url.pathname,
      rawQuery: req.url.search.replace(/^\?/, ''),
      headers: headerPairs(req),
      body: req.body,
    },
    options.callers,
    { region: options.region, service: 'events', ...(options.now ? { now: options.now } : {}) },
  );
  if (!verdict.ok) refuse(signatureError(verdict));

  validatePutEventsRequest(input.Entries);
  for (const [busArn, context] of contextByBus(input.Entries, options)) {
    const decision = evaluatePolicy(caller.statements, PUT_EVENTS_ACTION, busArn, context);
    if (decision !== 'Allow') refuse(accessDenied(caller, busArn, decision));
  }
}

/** For each bus the entries name (in order of first mention), its ARN and the request context keys of its entries. */
function contextByBus(entries: readonly unknown[], options: PutEventsAuthorizationOptions): Map<string, Record<string, string[]>> {
  const byBus = new Map<string, { sources: Set<string>; detailTypes: Set<string> }>();
  for (const entry of entries) {
    if (typeof entry !== 'object' || entry === null || Array.isArray(entry)) continue;
    const { EventBusName: bus, Source: source, DetailType: detailType } = entry as Record<string, unknown>;
    if (bus !== undefined && typeof bus !== 'string') continue;
    const arn = busArnOf(bus ?? 'default', options);
    let keys = byBus.get(arn);
    if (!keys) byBus.set(arn, (keys = { sources: new Set(), detailTypes: new Set() }));
    if (typeof source === 'string' && source !== '') keys.sources.add(source);
    if (typeof detailType === 'string' && detailType !== '') keys.detailTypes.add(detailType);
  }
  return new Map(
    [...byBus].map(([arn, keys]) => [
      arn,
      {
        ...(keys.sources.size > 0 ? { 'events:source': [...keys.sources] } : {}),
        ...(keys.detailTypes.size > 0 ? { 'events:detail-type': [...keys.detailTypes] } : {}),
      },
    ]),
  );
}

/** The ARN IAM sees for an entry's `EventBusName`: an ARN as given, a name as a bus of this account and region. */
function busArnOf(nameOrArn: string, options: PutEventsAuthorizationOptions): string {
  if (nameOrArn.startsWith('arn:')) return nameOrArn;
  return `arn:${options.partition ?? 'aws'}:events:${options.region}:${options.accountId}:event-bus/${nameOrArn}`;
}

function accessDenied(caller: ApiCaller, busArn: string, decision: Exclude<PolicyDecision, 'Allow'>): EventBridgeApiError {
  const reason =
    decision === 'ExplicitDeny' ? 'with an explicit deny in an identity-based policy' : `because no identity-based policy allows the ${PUT_EVENTS_ACTION} action`;
  return new EventBridgeApiError('AccessDeniedException', `User: ${caller.arn} is not authorized to perform: ${PUT_EVENTS_ACTION} on resource: ${busArn} ${reason}`);
}

/** A failed signature check, as the JSON 1.1 services answer it. */
function signatureError(verdict: Extract<SigV4Verdict, { ok: false }>): EventBridgeApiError {
  switch (verdict.type) {
    case 'INVALID_SIGNATURE':
      return new EventBridgeApiError('InvalidSignatureException', verdict.message);
    case 'UNRECOGNIZED_CLIENT':
      return new EventBridgeApiError('UnrecognizedClientException', verdict.message);
    case 'MISSING_AUTHENTICATION_TOKEN':
      return new EventBridgeApiError('MissingAuthenticationTokenException', verdict.message, 403);
  }
}

/** The access key id of an `Authorization: AWS4-HMAC-SHA256 Credential=AKID/…` header; undefined when unsigned. */
function signingAccessKey(req: EdgeRequest): string | undefined {
  const header = req.headers.authorization;
  return typeof header === 'string' ? /Credential=([^/,\s]+)\//.exec(header)?.[1] : undefined;
}
