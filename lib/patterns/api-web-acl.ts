import { Duration, Size, SizeRoundingBehavior, Stack } from 'aws-cdk-lib';
import type * as apigateway from 'aws-cdk-lib/aws-apigateway';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as wafv2 from 'aws-cdk-lib/aws-wafv2';
import { Construct } from 'constructs';
import { ALARM_PERIOD } from './alarm-defaults';
import { PropsError } from './problems-error';

/** The per-client limits of an ApiWebAcl, as SyncApi's `webAcl` prop takes them. */
export interface ApiWebAclOptions {
  /**
   * Requests one IP address may send within `rateLimitWindow`; past it, WAF answers its requests 429 until its rate
   * falls back under the limit. WAF counts per address, so clients behind one NAT share the limit.
   *
   * The default is argued against the shop's public stage throttle (2,000 requests/s, burst 4,000, shared by every
   * client): 3,000 in 5 minutes is 10 requests/s sustained from one address, 0.5 % of the stage, so it takes 200
   * addresses at full tilt to use the stage up; one client, or a few, cannot throttle everyone else. It is still far
   * above a shopper: browsing and checking out is a few requests a minute, and following an asynchronous order's
   * `Location` once a second for a minute is 60.
   *
   * @default 3000
   */
  readonly rateLimitPerIp?: number;
  /**
   * How far back WAF counts an address's requests: 1, 2, 5 or 10 minutes. WAF re-checks every few seconds, whatever the
   * window.
   *
   * @default Duration.minutes(5)
   */
  readonly rateLimitWindow?: Duration;
}

export interface ApiWebAclProps extends ApiWebAclOptions {
  /** The REST API stage to protect. */
  readonly stage: apigateway.Stage;
  /**
   * The web ACL's name, also the `WebACL` dimension of its CloudWatch metrics: letters, digits, `-` and `_`, up to 128.
   * Unique per region and account, so a second stage's must differ.
   */
  readonly webAclName: string;
  /**
   * Bodies larger than this are blocked with 413 before they reach a function (use the API's own limit, SyncApi's
   * `maxRequestBodySize`). WAF sees only the first 16 KiB of an API Gateway request's body; a larger limit raises that
   * window, up to 64 KiB, at an extra WAF charge per request, and a limit above 64 KiB cannot be enforced by WAF.
   *
   * @default Size.kibibytes(16)
   */
  readonly maxRequestBodySize?: Size;
}

/** The rule names, also their metrics' `Rule` dimension. */
export const WEB_ACL_RULES = { rateLimitPerIp: 'RateLimitPerIp', bodySize: 'BodySizeLimit' } as const;

export const DEFAULT_RATE_LIMIT_PER_IP = 3_000;
const DEFAULT_RATE_LIMIT_WINDOW = Duration.minutes(5);
const DEFAULT_MAX_BODY = Size.kibibytes(16);
/** WAF's lowest and highest rate limits. */
const MIN_RATE_LIMIT = 10;
const MAX_RATE_LIMIT = 2_000_000_000;
/** The evaluation windows WAF offers, in seconds. */
const RATE_LIMIT_WINDOWS = [60, 120, 300, 600] as const;
/**
 * How much of an API Gateway request's body WAF inspects: 16 KiB unless the web ACL's AssociationConfig raises it, in
 * steps of 16 KiB up to 64 KiB. A body past the window is "oversize", and the body rule's MATCH blocks it.
 */
const BODY_INSPECTION_LIMITS = [
  { kib: 16, setting: undefined },
  { kib: 32, setting: 'KB_32' },
  { kib: 48, setting: 'KB_48' },
  { kib: 64, setting: 'KB_64' },
] as const;
/** A web ACL name that is also a valid metric name: WAF allows the first, CloudWatch's dimension the second. */
export const WEB_ACL_NAME = /^[A-Za-z0-9_-]{1,128}$/;

/**
 * What is wrong with an ApiWebAcl's limits, each problem naming the prop (with `prefix`, e.g. `webAcl.` when a SyncApi
 * passes them on), the value and the fix. Exported so a SyncApi reports them with its own props, in one error.
 */
export function apiWebAclProblems(options: ApiWebAclOptions & { readonly maxRequestBodySize?: Size }, prefix = ''): string[] {
  const problems: string[] = [];
  const limit = options.rateLimitPerIp ?? DEFAULT_RATE_LIMIT_PER_IP;
  if (!(Number.isInteger(limit) && limit >= MIN_RATE_LIMIT && limit <= MAX_RATE_LIMIT)) {
    problems.push(
      `${prefix}rateLimitPerIp is ${limit}: WAF takes a whole number of requests from ${MIN_RATE_LIMIT} to ${MAX_RATE_LIMIT.toLocaleString('en')}, ` +
        `e.g. ${DEFAULT_RATE_LIMIT_PER_IP}.`,
    );
  }
  const window = options.rateLimitWindow ?? DEFAULT_RATE_LIMIT_WINDOW;
  if (!window.isUnresolved() && !(RATE_LIMIT_WINDOWS as readonly number[]).includes(window.toSeconds({ integral: false }))) {
    problems.push(`${prefix}rateLimitWindow is ${window.toHumanString()}: WAF counts over 1, 2, 5 or 10 minutes, e.g. Duration.minutes(5).`);
  }
  const maxBody = options.maxRequestBodySize ?? DEFAULT_MAX_BODY;
  if (!maxBody.isUnresolved()) {
    const bytes = maxBody.toBytes({ rounding: SizeRoundingBehavior.NONE });
    const largest = BODY_INSPECTION_LIMITS[BODY_INSPECTION_LIMITS.length - 1].kib;
    if (!(Number.isInteger(bytes) && bytes >= 1)) {
      problems.push(`maxRequestBodySize is ${bytes} bytes: use a whole number of bytes above 0, e.g. Size.kibibytes(16).`);
    } else if (bytes > largest * 1024) {
      problems.push(
        `maxRequestBodySize is ${bytes} bytes with a web ACL: WAF inspects at most the first ${largest} KiB of an API Gateway ` +
          `request's body, so it cannot tell a larger allowed body from one too large; lower the limit to ${largest} KiB or less, ` +
          'or go without the web ACL and leave the limit to the handlers (they answer 413 themselves).',
      );
    }
  }
  return problems;
}

/**
 * A regional WAF web ACL in front of a REST API stage, with per-client limits: a rate-based rule that answers 429 to
 * an IP address past `rateLimitPerIp` requests in `rateLimitWindow`, and a body-size rule that answers 413 to a body
 * larger than `maxRequestBodySize` before any function is invoked (API Gateway itself accepts up to 10 MB). Both
 * answers are JSON problem documents. Every other request is allowed. CloudWatch metrics and sampled requests are on
 * for the web ACL and each rule.
 *
 * Not emulated by the shop's local runtime, nor deployed by MiniStack (which has no AWS::WAFv2::WebACLAssociation).
 */
export class ApiWebAcl extends Construct {
  public readonly webAcl: wafv2.CfnWebACL;
  public readonly association: wafv2.CfnWebACLAssociation;
  /** The web ACL's name, also its metrics' `WebACL` dimension. */
  public readonly webAclName: string;
  public readonly rateLimitPerIp: number;
  public readonly rateLimitWindow: Duration;
  /** The largest body allowed through, in bytes. */
  public readonly maxBodyBytes: number;

  public constructor(scope: Construct, id: string, props: ApiWebAclProps) {
    super(scope, id);
    const problems = apiWebAclProblems(props);
    if (!WEB_ACL_NAME.test(props.webAclName)) {
      problems.unshift(`webAclName is '${props.webAclName}': use 1 to 128 letters, digits, '-' or '_', e.g. 'HybridShop-public'.`);
    }
    if (problems.length > 0) throw new PropsError('ApiWebAcl', this.node.path, problems);
    this.webAclName = props.webAclName;
    this.rateLimitPerIp = props.rateLimitPerIp ?? DEFAULT_RATE_LIMIT_PER_IP;
    this.rateLimitWindow = props.rateLimitWindow ?? DEFAULT_RATE_LIMIT_WINDOW;
    this.maxBodyBytes = (props.maxRequestBodySize ?? DEFAULT_MAX_BODY).toBytes();
    const windowSeconds = this.rateLimitWindow.toSeconds();
    const inspection = BODY_INSPECTION_LIMITS.find(({ kib }) => this.maxBodyBytes <= kib * 1024) ?? BODY_INSPECTION_LIMITS[0];

    const visibility = (metricName: string): wafv2.CfnWebACL.VisibilityConfigProperty => ({
      cloudWatchMetricsEnabled: true,
      sampledRequestsEnabled: true,
      metricName,
    });
    this.webAcl = new wafv2.CfnWebACL(this, 'WebAcl', {
      name: this.webAclName,
      description: `Per-client limits: ${this.rateLimitPerIp} requests per IP address per ${this.rateLimitWindow.toHumanString()}, bodies up to ${this.maxBodyBytes} bytes`,
      scope: 'REGIONAL',
      defaultAction: { allow: {} },
      visibilityConfig: visibility(this.webAclName),
      // WAF cannot answer application/problem+json (its content types are JSON, HTML and text): the members are RFC 9457's.
      customResponseBodies: {
        TooManyRequests: {
          contentType: 'APPLICATION_JSON',
          content: JSON.stringify({
            type: 'about:blank',
            title: 'Too Many Requests',
            status: 429,
            detail: `More than ${this.rateLimitPerIp} requests came from your IP address within ${this.rateLimitWindow.toHumanString()}; slow down and retry later.`,
          }),
        },
        ContentTooLarge: {
          contentType: 'APPLICATION_JSON',
          content: JSON.stringify({
            type: 'about:blank',
            title: 'Content Too Large',
            status: 413,
            detail: `The request body is larger than ${this.maxBodyBytes} bytes.`,
            errors: [{ field: 'body', message: `must be at most ${this.maxBodyBytes} bytes` }],
          }),
        },
      },
      rules: [
        {
          // First, so every request of an address counts towards its rate, oversized ones included.
          name: WEB_ACL_RULES.rateLimitPerIp,
          priority: 0,
          statement: { rateBasedStatement: { aggregateKeyType: 'IP', limit: this.rateLimitPerIp, evaluationWindowSec: windowSeconds } },
          action: { block: { customResponse: { responseCode: 429, customResponseBodyKey: 'TooManyRequests' } } },
          visibilityConfig: visibility(WEB_ACL_RULES.rateLimitPerIp),
        },
        {
          // WAF sees only the body's first `inspection.kib` KiB. Past that, oversize handling decides, and MATCH blocks:
          // a body WAF cannot see the end of is larger than the limit, since the window is never smaller than the limit.
          name: WEB_ACL_RULES.bodySize,
          priority: 1,
          statement: {
            sizeConstraintStatement: {
              fieldToMatch: { body: { oversizeHandling: 'MATCH' } },
              comparisonOperator: 'GT',
              size: this.maxBodyBytes,
              textTransformations: [{ priority: 0, type: 'NONE' }],
            },
          },
          action: { block: { customResponse: { responseCode: 413, customResponseBodyKey: 'ContentTooLarge' } } },
          visibilityConfig: visibility(WEB_ACL_RULES.bodySize),
        },
      ],
      ...(inspection.setting === undefined
        ? {}
        : { associationConfig: { requestBody: { API_GATEWAY: { defaultSizeInspectionLimit: inspection.setting } } } }),
    });
    this.association = new wafv2.CfnWebACLAssociation(this, 'Association', {
      resourceArn: props.stage.stageArn,
      webAclArn: this.webAcl.attrArn,
    });
  }

  /** WAF's BlockedRequests (Sum) of one rule: requests the rule answered 429 or 413. */
  public metricBlockedRequests(rule: (typeof WEB_ACL_RULES)[keyof typeof WEB_ACL_RULES], options: cloudwatch.MetricOptions = {}): cloudwatch.Metric {
    return new cloudwatch.Metric({
      namespace: 'AWS/WAFV2',
      metricName: 'BlockedRequests',
      statistic: 'Sum',
      period: ALARM_PERIOD,
      ...options,
      dimensionsMap: { WebACL: this.webAclName, Rule: rule, Region: Stack.of(this).region },
    });
  }

  /** The requests each rule blocked: who hit the rate limit, and who sent bodies too large. */
  public dashboardWidgets(): cloudwatch.IWidget[] {
    return [
      new cloudwatch.GraphWidget({
        title: `${this.webAclName}: requests blocked by WAF`,
        left: [
          this.metricBlockedRequests(WEB_ACL_RULES.rateLimitPerIp, { label: `rate per IP (429, > ${this.rateLimitPerIp} / ${this.rateLimitWindow.toHumanString()})` }),
          this.metricBlockedRequests(WEB_ACL_RULES.bodySize, { label: `body size (413, > ${this.maxBodyBytes} bytes)` }),
        ],
        width: 24,
      }),
    ];
  }
}
