import { Duration, Fn, Names, Stack, Token } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as events from 'aws-cdk-lib/aws-events';
import * as targets from 'aws-cdk-lib/aws-events-targets';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as destinations from 'aws-cdk-lib/aws-lambda-destinations';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { ALARM_EVALUATION, ALARM_PERIOD, createPatternAlarm, createQueueNotEmptyAlarm } from './alarm-defaults';
import type { EventLog } from './event-log';
import { sideBySide } from './health-dashboard';
import { createLastStopQueue } from './last-stop-queue';
import { ProblemsError, PropsError } from './problems-error';
import type { QueueWorker } from './queue-worker';
import type { ServiceFunction } from './service-function';

export interface EventFanoutProps {
  /**
   * Name of the custom event bus; also the `EventBusName` dimension of its rules' metrics.
   *
   * @default - `${stackName}-bus`
   */
  readonly busName?: string;
  /**
   * How long the archive keeps every event put on the bus, so it can be replayed (whole days, at least 1).
   *
   * @default Duration.days(7)
   */
  readonly archiveRetention?: Duration;
  /**
   * Each target's retry policy: how long EventBridge keeps retrying an event it could not deliver before sending it to
   * the route's dead-letter queue (60 seconds to 24 hours).
   *
   * @default Duration.hours(1)
   */
  readonly maxEventAge?: Duration;
  /**
   * Each target's retry policy: delivery retries before the event goes to the route's dead-letter queue (0 to 185).
   *
   * @default 8
   */
  readonly retryAttempts?: number;
  /**
   * Where the routes' alarms go.
   *
   * @default - alarms are created with no action
   */
  readonly alarmAction?: cloudwatch.IAlarmAction;
}

/**
 * Where a route delivers its events, always the whole EventBridge event:
 * - `queue`: SendMessage to a standard QueueWorker's queue (a FIFO queue is rejected: a rule's SQS target takes one
 *   fixed MessageGroupId, so it cannot group by a field of the event; let a function send to the FIFO queue instead);
 * - `function`: an asynchronous Lambda invoke (EventBridge retries only the hand-over; Lambda's own async retries and
 *   on-failure destination take over from there);
 * - `log`: PutRecord to an EventLog's stream, partitioned by `partitionKeyPath` (a JSONPath into the event, e.g.
 *   `$.detail.orderId`) so each key's events stay in order.
 */
export type FanoutTarget =
  | { readonly queue: QueueWorker }
  | { readonly function: ServiceFunction }
  | { readonly log: EventLog; readonly partitionKeyPath: string };

export interface FanoutRouteProps {
  /**
   * Description of the rule.
   *
   * @default - the rule has no description
   */
  readonly description?: string;
  /** The events the route delivers, in EventBridge's content-filtering pattern language. */
  readonly eventPattern: events.EventPattern;
  readonly target: FanoutTarget;
}

/** The alarms every route owns. */
export interface FanoutRouteAlarms {
  /** AWS/Events FailedInvocations (Sum) ≥ 1 in 5 minutes: deliveries to the target that failed permanently. */
  readonly failedInvocations: cloudwatch.Alarm;
  /** AWS/Events InvocationsSentToDlq (Sum) ≥ 1 in 5 minutes: events that exhausted the retry policy. */
  readonly sentToDlq: cloudwatch.Alarm;
  /** The route's dead-letter queue's ApproximateNumberOfMessagesVisible (Maximum) ≥ 1. */
  readonly deadLetterQueueNotEmpty: cloudwatch.Alarm;
  /**
   * Function targets only: the function's on-failure queue's ApproximateNumberOfMessagesVisible (Maximum) ≥ 1 (events
   * the function failed on after Lambda's async retries). Shared by every route to the same function.
   */
  readonly functionFailureQueueNotEmpty?: cloudwatch.Alarm;
}

/** What `route` created. */
export interface FanoutRoute {
  readonly rule: events.Rule;
  /** Events EventBridge could not deliver to the target within the retry policy. */
  readonly deadLetterQueue: sqs.Queue;
  /**
   * Function targets only: the function's async on-failure destination (events it failed on after Lambda's two
   * retries). One per function, shared by every route that targets it.
   */
  readonly functionFailureQueue?: sqs.Queue;
  readonly alarms: FanoutRouteAlarms;
}

/** Thrown by `route` with every problem of the route at once. */
export class EventFanoutRouteError extends ProblemsError {
  public constructor(
    public readonly constructPath: string,
    public readonly routeId: string,
    problems: readonly string[],
  ) {
    super(`Invalid route '${routeId}' on EventFanout ${constructPath}`, problems);
  }
}

/** Thrown by `grantPutEvents` with every problem of its sources at once. */
export class EventFanoutGrantError extends ProblemsError {
  public constructor(
    public readonly constructPath: string,
    public readonly grantee: string,
    problems: readonly string[],
  ) {
    super(`Invalid grantPutEvents to ${grantee} on EventFanout ${constructPath}`, problems);
  }
}

/** Lambda's own async retries after EventBridge has handed an event over. */
const FUNCTION_ASYNC_RETRY_ATTEMPTS = 2;
/** Lambda keeps an async event at most 6 hours. */
const MAX_FUNCTION_EVENT_AGE = Duration.hours(6);
const MIN_EVENT_AGE = Duration.seconds(60);
const MAX_EVENT_AGE = Duration.hours(24);
const BUS_NAME = /^[A-Za-z0-9._-]{1,256}$/;

/**
 * A custom EventBridge bus whose routes (one rule, one target each) deliver events to queues, functions or the event
 * log, with the project's defaults: an archive of every event kept 7 days for replay, a retry policy of 8 attempts
 * within 1 hour and an encrypted TLS-only dead-letter queue per target, Lambda's own async retries and on-failure queue
 * for function targets, and alarms on failed invocations, events sent to the DLQ and a non-empty DLQ.
 */
export class EventFanout extends Construct {
  public readonly bus: events.EventBus;
  public readonly archive: events.Archive;
  public readonly routes: ReadonlyMap<string, FanoutRoute>;
  private readonly routeMap = new Map<string, FanoutRoute>();
  private readonly functionFailures = new Map<ServiceFunction, { queue: sqs.Queue; alarm: cloudwatch.Alarm }>();
  /** Holds one child per function target: its async on-failure queue and that queue's alarm. */
  private readonly functionFailureGroup: Construct;
  private readonly maxEventAge: Duration;
  private readonly retryAttempts: number;
  private readonly alarmAction?: cloudwatch.IAlarmAction;

  public constructor(scope: Construct, id: string, props: EventFanoutProps = {}) {
    super(scope, id);
    const busName = props.busName ?? `${Stack.of(this).stackName}-bus`;
    const archiveRetention = props.archiveRetention ?? Duration.days(7);
    this.maxEventAge = props.maxEventAge ?? Duration.hours(1);
    this.retryAttempts = props.retryAttempts ?? 8;
    this.alarmAction = props.alarmAction;
    this.routes = this.routeMap;
    validateProps(this.node.path, { busName, archiveRetention, maxEventAge: this.maxEventAge, retryAttempts: this.retryAttempts });

    this.bus = new events.EventBus(this, 'Bus', { eventBusName: busName });
    this.functionFailureGroup = new Construct(this, 'FunctionFailures');
    this.archive = new events.Archive(this, 'Archive', {
      sourceEventBus: this.bus,
      description: `Every event put on ${busName}, for replay`,
      // Every event of this account's bus: an archive needs a pattern, and every event carries the account.
      eventPattern: { account: [Stack.of(this).account] },
      retention: archiveRetention,
    });
  }

  /**
   * Routes the events matching `eventPattern` to `target` through one rule (construct id `id`) with one target, the
   * retry policy, a dead-letter queue of its own and its alarms (all under the rule).
   */
  public route(id: string, props: FanoutRouteProps): FanoutRoute {
    this.validateRoute(id, props);
    const rule = new events.Rule(this, id, {
      eventBus: this.bus,
      description: props.description,
      eventPattern: props.eventPattern,
    });
    const deadLetterQueue = createLastStopQueue(rule, 'DeadLetterQueue', 'the dead-letter queue of an EventBridge target');
    const retryPolicy = { deadLetterQueue, retryAttempts: this.retryAttempts, maxEventAge: this.maxEventAge };

    const target = props.target;
    let functionFailure: { queue: sqs.Queue; alarm: cloudwatch.Alarm } | undefined;
    if ('queue' in target) {
      rule.addTarget(new targets.SqsQueue(target.queue.queue, retryPolicy));
    } else if ('function' in target) {
      functionFailure = this.configureFunction(target.function);
      rule.addTarget(new targets.LambdaFunction(target.function.function, retryPolicy));
    } else {
      rule.addTarget(new targets.KinesisStream(target.log.stream, { ...retryPolicy, partitionKeyPath: target.partitionKeyPath }));
      // Unlike the SQS and Lambda targets, the Kinesis target does not let EventBridge send to its dead-letter queue.
      targets.addToDeadLetterQueueResourcePolicy(rule, deadLetterQueue);
    }

    const group = new Construct(rule, 'Alarms');
    const name = rule.node.path;
    const route: FanoutRoute = {
      rule,
      deadLetterQueue,
      functionFailureQueue: functionFailure?.queue,
      alarms: {
        failedInvocations: createPatternAlarm(group, 'FailedInvocations', {
          metric: this.ruleMetric(rule, 'FailedInvocations', { statistic: 'Sum' }),
          threshold: 1,
          evaluation: ALARM_EVALUATION.lostWork,
          description: `${name}: deliveries to the target failed permanently in 5 minutes; look in the route's dead-letter queue.`,
          alarmAction: this.alarmAction,
        }),
        sentToDlq: createPatternAlarm(group, 'SentToDlq', {
          metric: this.ruleMetric(rule, 'InvocationsSentToDlq', { statistic: 'Sum' }),
          threshold: 1,
          evaluation: ALARM_EVALUATION.lostWork,
          description: `${name}: events exhausted the retry policy and went to the dead-letter queue.`,
          alarmAction: this.alarmAction,
        }),
        deadLetterQueueNotEmpty: createQueueNotEmptyAlarm(group, 'DeadLetterQueueNotEmpty', deadLetterQueue, {
          description: `${name}: the route's dead-letter queue holds undelivered events; fix the target, then redrive them.`,
          alarmAction: this.alarmAction,
        }),
        functionFailureQueueNotEmpty: functionFailure?.alarm,
      },
    };
    this.routeMap.set(id, route);
    return route;
  }

  /**
   * Allows `grantee` to put events on the bus whose `source` is one of `sources`, and no others: a producer can only
   * state its own facts. An entry with any other source is refused.
   *
   * There is no grant without sources: that would let the grantee publish any service's facts. Whoever truly needs
   * that can still call `bus.grantPutEventsTo`, in plain sight.
   *
   * @param sources the `source` of every event the grantee publishes, e.g. `['shop.orders']` (at least one; each
   *   exact, without wildcards, and not an `aws.` source, which only AWS services may publish)
   */
  public grantPutEvents(grantee: iam.IGrantable, sources: readonly string[]): iam.Grant {
    const granted = [...new Set(sources)];
    validateSources(this.node.path, granteeName(grantee), granted);
    return iam.Grant.addToPrincipal({
      grantee,
      actions: ['events:PutEvents'],
      resourceArns: [this.bus.eventBusArn],
      conditions: {
        // `events:source` is a multivalued key (ArrayOfString: a PutEvents call's entries may carry several sources), and
        // IAM documents that a multivalued key needs a set operator. ForAllValues: every source must be one of ours
        // (ForAnyValue would let one of ours carry another service's along). ForAllValues also holds when the key is
        // absent, so the Null check requires it present, as IAM recommends when ForAllValues is used in an Allow; it is
        // also the form of AWS's own EventBridge example that limits PutEvents to a source.
        'ForAllValues:StringEquals': { 'events:source': granted },
        Null: { 'events:source': 'false' },
      },
    });
  }

  /** The bus's latency (p99 ingestion to successful delivery, per route) and congestion (failures, DLQ) side by side. */
  public dashboardWidgets(): cloudwatch.IWidget[] {
    const routes = [...this.routeMap.entries()];
    const perRoute = (metricName: string, statistic: string) =>
      routes.map(([id, route]) => this.ruleMetric(route.rule, metricName, { statistic, label: `${id} ${metricName}` }));
    const name = this.node.id;
    return sideBySide(
      {
        title: `${name}: ingestion to delivery p99 (ms)`,
        left: perRoute('IngestionToInvocationSuccessLatency', 'p99'),
      },
      {
        title: `${name}: undelivered events`,
        left: [...perRoute('FailedInvocations', 'Sum'), ...perRoute('InvocationsSentToDlq', 'Sum')],
        right: routes.map(([id, route]) =>
          route.deadLetterQueue.metricApproximateNumberOfMessagesVisible({
            statistic: 'Maximum',
            period: ALARM_PERIOD,
            label: `${id} DLQ`,
          }),
        ),
      },
    );
  }

  /**
   * An AWS/Events metric of one rule as CloudWatch publishes it for a custom bus: dimensions EventBusName and RuleName.
   * CloudFormation's Ref of a rule on a custom bus is `<bus name>|<rule name>`, so RuleName is the part after the `|`.
   */
  private ruleMetric(rule: events.Rule, metricName: string, options: cloudwatch.MetricOptions): cloudwatch.Metric {
    return new cloudwatch.Metric({
      namespace: 'AWS/Events',
      metricName,
      dimensionsMap: { EventBusName: this.bus.eventBusName, RuleName: Fn.select(1, Fn.split('|', rule.ruleName)) },
      period: ALARM_PERIOD,
      ...options,
    });
  }

  /**
   * The function's own async settings, once per function: Lambda retries twice, drops events older than the fanout's
   * maxEventAge (at most Lambda's 6 hours), then sends them to a failure queue of the function's own.
   */
  private configureFunction(fn: ServiceFunction): { queue: sqs.Queue; alarm: cloudwatch.Alarm } {
    const existing = this.functionFailures.get(fn);
    if (existing) return existing;
    // Named after the function's path, so it stays put whichever route happens to target the function first.
    const scope = new Construct(this.functionFailureGroup, Names.nodeUniqueId(fn.node));
    const queue = createLastStopQueue(scope, 'Queue', "the dead-letter queue of a function's asynchronous invocations");
    const maxEventAgeSeconds = Math.min(this.maxEventAge.toSeconds(), MAX_FUNCTION_EVENT_AGE.toSeconds());
    fn.function.configureAsyncInvoke({
      retryAttempts: FUNCTION_ASYNC_RETRY_ATTEMPTS,
      maxEventAge: Duration.seconds(maxEventAgeSeconds),
      onFailure: new destinations.SqsDestination(queue),
    });
    const alarm = createQueueNotEmptyAlarm(scope, 'QueueNotEmpty', queue, {
      description: `${fn.node.path}: asynchronous invocations failed after Lambda's retries; their events wait in ${scope.node.path}/Queue.`,
      alarmAction: this.alarmAction,
    });
    const created = { queue, alarm };
    this.functionFailures.set(fn, created);
    return created;
  }

  private validateRoute(id: string, props: FanoutRouteProps): void {
    const problems: string[] = [];
    if (id.trim() === '') problems.push(`id is empty: name the route, e.g. 'OrderPlacedToPayments'.`);
    else if (this.node.tryFindChild(id)) problems.push(`id '${id}' is taken: each route needs its own id.`);
    if (Object.keys(props.eventPattern).length === 0) {
      problems.push('eventPattern is empty: an empty pattern matches nothing; name at least a source or a detail-type.');
    }
    const target = props.target;
    if ('queue' in target) {
      if (target.queue.fifo) {
        problems.push(
          `target.queue ${target.queue.node.path} is FIFO: a rule's SQS target takes one fixed MessageGroupId, so it cannot ` +
            'group by a field of the event; route to a function that sends to the FIFO queue with its own MessageGroupId.',
        );
      }
    } else if ('function' in target) {
      const configured = target.function.function.node.tryFindChild('EventInvokeConfig');
      if (configured && !this.functionFailures.has(target.function)) {
        problems.push(
          `target.function ${target.function.node.path} already has asynchronous invoke settings from elsewhere; ` +
            'EventFanout sets them itself (2 retries, maxEventAge, an on-failure queue).',
        );
      }
    } else if ('log' in target) {
      if (!/^\$(\.[A-Za-z0-9_-]+)+$/.test(target.partitionKeyPath)) {
        problems.push(`target.partitionKeyPath is '${target.partitionKeyPath}': use a JSONPath into the event, e.g. '$.detail.orderId'.`);
      }
    } else {
      problems.push('target names no queue, function or log: use { queue }, { function } or { log, partitionKeyPath }.');
    }
    if (problems.length > 0) throw new EventFanoutRouteError(this.node.path, id, problems);
  }
}

/** What an event's `source` may be here: 1 to 256 characters without whitespace or the IAM wildcards `*` and `?`. */
const EVENT_SOURCE = /^[^\s*?]{1,256}$/;

function granteeName(grantee: iam.IGrantable): string {
  return Construct.isConstruct(grantee) ? grantee.node.path : String(grantee.grantPrincipal);
}

function validateSources(constructPath: string, grantee: string, sources: readonly string[]): void {
  const problems: string[] = [];
  if (sources.length === 0) {
    problems.push("sources is empty: name the source of every event the grantee publishes, e.g. ['shop.orders'].");
  }
  for (const source of sources) {
    if (Token.isUnresolved(source)) continue;
    if (!EVENT_SOURCE.test(source)) {
      problems.push(
        `sources has '${source}': give each source exactly, 1 to 256 characters without spaces or wildcards ` +
          "(the condition compares with StringEquals, so '*' would match only a literal '*'), e.g. 'shop.orders'.",
      );
    } else if (source.startsWith('aws.')) {
      problems.push(`sources has '${source}': 'aws.' sources are reserved for AWS services; use your own, e.g. 'shop.orders'.`);
    }
  }
  if (problems.length > 0) throw new EventFanoutGrantError(constructPath, grantee, problems);
}

interface ResolvedProps {
  readonly busName: string;
  readonly archiveRetention: Duration;
  readonly maxEventAge: Duration;
  readonly retryAttempts: number;
}

function validateProps(constructPath: string, resolved: ResolvedProps): void {
  const problems: string[] = [];
  const { busName, archiveRetention, maxEventAge, retryAttempts } = resolved;
  // A token is checked by CloudFormation instead.
  if (!Token.isUnresolved(busName) && (!BUS_NAME.test(busName) || busName === 'default')) {
    problems.push(`busName is '${busName}': use 1 to 256 letters, digits, '.', '-' or '_', and not 'default' (this is a custom bus).`);
  }
  const days = archiveRetention.toDays({ integral: false });
  if (!Number.isInteger(days) || days < 1) {
    problems.push(`archiveRetention is ${archiveRetention.toHumanString()}: use whole days, at least 1, e.g. Duration.days(7).`);
  }
  const ageSeconds = maxEventAge.toSeconds({ integral: false });
  if (!Number.isInteger(ageSeconds) || ageSeconds < MIN_EVENT_AGE.toSeconds() || ageSeconds > MAX_EVENT_AGE.toSeconds()) {
    problems.push(`maxEventAge is ${maxEventAge.toHumanString()}: EventBridge takes whole seconds from 60 seconds to 24 hours.`);
  }
  if (!(Number.isInteger(retryAttempts) && retryAttempts >= 0 && retryAttempts <= 185)) {
    problems.push(`retryAttempts is ${retryAttempts}: EventBridge takes a whole number from 0 to 185, e.g. 8.`);
  }
  if (problems.length > 0) throw new PropsError('EventFanout', constructPath, problems);
}
