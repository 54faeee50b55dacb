import * as path from 'node:path';
import { Duration, RemovalPolicy, Size, SizeRoundingBehavior, Validations } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { NodejsFunction, OutputFormat } from 'aws-cdk-lib/aws-lambda-nodejs';
import * as logs from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import { ALARM_EVALUATION, ALARM_PERIOD, type AlarmEvaluation, alarmEvaluationProblems, createPatternAlarm, describeEvaluation } from './alarm-defaults';
import { sideBySide } from './health-dashboard';
import { PropsError } from './problems-error';

/** A log level both Powertools and Lambda's advanced logging controls understand. */
export type ServiceLogLevel = 'DEBUG' | 'INFO' | 'WARN' | 'ERROR';

export interface ServiceFunctionProps {
  /** Path to the handler's TypeScript file, under the project root. */
  readonly entry: string;
  /**
   * Name of the exported handler function in `entry`.
   *
   * @default 'handler'
   */
  readonly handler?: string;
  /**
   * Description shown in the Lambda console.
   *
   * @default - the function has no description
   */
  readonly description?: string;
  /**
   * Extra environment variables. The keys this construct manages (Powertools, log level, NODE_OPTIONS) are
   * rejected here: set them through their typed props.
   *
   * @default - only the variables this construct manages
   */
  readonly environment?: Record<string, string>;
  /**
   * How long one invocation may run.
   *
   * @default Duration.seconds(3)
   */
  readonly timeout?: Duration;
  /**
   * Memory, which also buys CPU share.
   *
   * @default Size.mebibytes(256)
   */
  readonly memorySize?: Size;
  /**
   * Concurrency reserved for (and capped at) this function: no other function can take it, and this one never runs
   * more. Lambda refuses a reservation that would leave the account fewer than 100 unreserved executions, so an account
   * whose concurrency quota is still a new account's 10 cannot reserve any.
   *
   * @default - unreserved: the function draws on the account's shared pool
   */
  readonly reservedConcurrentExecutions?: number;
  /**
   * How long the function's log group keeps events.
   *
   * @default logs.RetentionDays.ONE_MONTH
   */
  readonly logRetention?: logs.RetentionDays;
  /**
   * Lowest level the handler logs (Powertools) and Lambda keeps (application log level).
   *
   * @default 'INFO'
   */
  readonly logLevel?: ServiceLogLevel;
  /** The service this function belongs to, e.g. 'catalog'; becomes POWERTOOLS_SERVICE_NAME. */
  readonly serviceName: string;
  /**
   * CloudWatch namespace for the handler's custom metrics (POWERTOOLS_METRICS_NAMESPACE).
   *
   * @default 'HybridShop'
   */
  readonly metricsNamespace?: string;
  /**
   * Map stack traces in the logs back to the TypeScript sources at run time (`NODE_OPTIONS=--enable-source-maps`).
   * Off by default because Node.js then parses the bundle's source map on every cold start: measured by
   * `npm run bench:bundles`, about 7 ms more module-load time per function. The `.map` file ships beside the bundle
   * either way, so a minified trace can be decoded offline.
   *
   * @default false
   */
  readonly enableSourceMaps?: boolean;
  /**
   * The duration alarm fires when p99 reaches this fraction of the timeout, in (0, 1].
   *
   * @default 0.8
   */
  readonly durationAlarmFractionOfTimeout?: number;
  /**
   * How many 5-minute periods with an error, out of how many, fire the errors alarm.
   *
   * @default ALARM_EVALUATION.errors (3 of 5)
   */
  readonly errorsAlarmEvaluation?: AlarmEvaluation;
  /**
   * How many 5-minute periods with a throttle, out of how many, fire the throttles alarm.
   *
   * @default ALARM_EVALUATION.throttles (3 of 5)
   */
  readonly throttlesAlarmEvaluation?: AlarmEvaluation;
  /**
   * How many 5-minute periods with p99 duration near the timeout, out of how many, fire the duration alarm.
   *
   * @default ALARM_EVALUATION.latency (3 of 5)
   */
  readonly durationAlarmEvaluation?: AlarmEvaluation;
  /**
   * Where the function's alarms go.
   *
   * @default - alarms are created with no action
   */
  readonly alarmAction?: cloudwatch.IAlarmAction;
}

/** The alarms every ServiceFunction owns. */
export interface ServiceFunctionAlarms {
  /** Errors (Sum) ≥ 1 per 5 minutes, in `errorsAlarmEvaluation` of the periods. */
  readonly errors: cloudwatch.Alarm;
  /** Throttles (Sum) ≥ 1 per 5 minutes, in `throttlesAlarmEvaluation` of the periods. */
  readonly throttles: cloudwatch.Alarm;
  /** Duration p99 ≥ `durationAlarmFractionOfTimeout` × timeout, in `durationAlarmEvaluation` of the periods. */
  readonly durationP99: cloudwatch.Alarm;
}

/** The project root: bundling runs here, and the lock file and the alias target live under it. */
const PROJECT_ROOT = path.join(__dirname, '..', '..');

/**
 * Lambda hands functions their credentials in environment variables only, so the SDK's default provider chain
 * (ini files, SSO, IMDS, container, process…) is swapped at bundle time for an env-only provider: ~95 KB less
 * minified code per bundle. Relative to PROJECT_ROOT, which is esbuild's working directory.
 */
const CREDENTIAL_PROVIDER_ALIAS =
  '@aws-sdk/credential-provider-node=./lambdas/shared/aws/credential-provider-lambda.ts';

/** Lets CommonJS dependencies call `require` from inside the ESM bundle. */
const ESM_REQUIRE_BANNER = "import { createRequire } from 'module'; const require = createRequire(import.meta.url);";

const LOG_LEVELS: readonly ServiceLogLevel[] = ['DEBUG', 'INFO', 'WARN', 'ERROR'];

/** Lambda's system log level has no ERROR: platform errors are logged at WARN. */
const SYSTEM_LOG_LEVEL: Record<ServiceLogLevel, lambda.SystemLogLevel> = {
  DEBUG: lambda.SystemLogLevel.DEBUG,
  INFO: lambda.SystemLogLevel.INFO,
  WARN: lambda.SystemLogLevel.WARN,
  ERROR: lambda.SystemLogLevel.WARN,
};

/** Environment keys this construct sets; callers use the typed props instead. */
const MANAGED_ENVIRONMENT_KEYS = [
  'NODE_OPTIONS',
  'POWERTOOLS_SERVICE_NAME',
  'POWERTOOLS_METRICS_NAMESPACE',
  'POWERTOOLS_LOG_LEVEL',
  'LOG_LEVEL',
] as const;

const MAX_TIMEOUT = Duration.minutes(15);
const MIN_MEMORY_MIB = 128;
const MAX_MEMORY_MIB = 10_240;

/**
 * A Node.js Lambda function with the project's defaults: Node.js 24 on arm64, an ESM bundle built by local
 * esbuild (minified, source maps, AWS SDK v3 bundled and tree-shaken), JSON logs into its own log group with
 * bounded retention, active tracing, and alarms on errors, throttles and p99 duration near the timeout.
 */
export class ServiceFunction extends Construct {
  public readonly function: NodejsFunction;
  public readonly logGroup: logs.LogGroup;
  public readonly alarms: ServiceFunctionAlarms;
  /** The `service` dimension of the handler's custom metrics (POWERTOOLS_SERVICE_NAME). */
  public readonly serviceName: string;
  /** The namespace of the handler's custom metrics (POWERTOOLS_METRICS_NAMESPACE). */
  public readonly metricsNamespace: string;
  /** The handler's TypeScript file: what a grant or a test can read to know which AWS calls the function makes. */
  public readonly entry: string;
  /** Concurrency reserved for (and capped at) the function; undefined when it draws on the account's shared pool. */
  public readonly reservedConcurrentExecutions?: number;

  public constructor(scope: Construct, id: string, props: ServiceFunctionProps) {
    super(scope, id);
    const timeout = props.timeout ?? Duration.seconds(3);
    const memorySize = props.memorySize ?? Size.mebibytes(256);
    const logLevel = props.logLevel ?? 'INFO';
    const fraction = props.durationAlarmFractionOfTimeout ?? 0.8;
    const evaluations = {
      errors: props.errorsAlarmEvaluation ?? ALARM_EVALUATION.errors,
      throttles: props.throttlesAlarmEvaluation ?? ALARM_EVALUATION.throttles,
      duration: props.durationAlarmEvaluation ?? ALARM_EVALUATION.latency,
    };
    validate(this.node.path, props, { timeout, memorySize, logLevel, fraction, evaluations });
    this.serviceName = props.serviceName;
    this.metricsNamespace = props.metricsNamespace ?? 'HybridShop';
    this.entry = props.entry;
    this.reservedConcurrentExecutions = props.reservedConcurrentExecutions;

    this.logGroup = new logs.LogGroup(this, 'LogGroup', {
      retention: props.logRetention ?? logs.RetentionDays.ONE_MONTH,
      removalPolicy: RemovalPolicy.DESTROY,
    });

    // Our own role instead of the default one with the AWSLambdaBasicExecutionRole managed policy:
    // the function may write to its own log group and nowhere else.
    const role = new iam.Role(this, 'ServiceRole', {
      assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com'),
      description: `Execution role of ${this.node.path}`,
    });
    this.logGroup.grantWrite(role);

    this.function = new NodejsFunction(this, 'Function', {
      entry: props.entry,
      handler: props.handler ?? 'handler',
      description: props.description,
      projectRoot: PROJECT_ROOT,
      depsLockFilePath: path.join(PROJECT_ROOT, 'package-lock.json'),
      // The same major the local runtime runs on (the `node@24` devDependency), deliberately not "latest".
      runtime: lambda.Runtime.NODEJS_24_X,
      architecture: lambda.Architecture.ARM_64,
      timeout,
      memorySize: memorySize.toMebibytes(),
      reservedConcurrentExecutions: props.reservedConcurrentExecutions,
      role,
      logGroup: this.logGroup,
      loggingFormat: lambda.LoggingFormat.JSON,
      applicationLogLevelV2: lambda.ApplicationLogLevel[logLevel],
      systemLogLevelV2: SYSTEM_LOG_LEVEL[logLevel],
      // Lambda records every invocation; the X-Ray SDK is deliberately not bundled (maintenance mode, ~127 KB).
      tracing: lambda.Tracing.ACTIVE,
      environment: {
        ...props.environment,
        ...(props.enableSourceMaps ? { NODE_OPTIONS: '--enable-source-maps' } : {}),
        POWERTOOLS_SERVICE_NAME: this.serviceName,
        POWERTOOLS_METRICS_NAMESPACE: this.metricsNamespace,
        POWERTOOLS_LOG_LEVEL: logLevel,
        LOG_LEVEL: logLevel,
      },
      bundling: {
        forceDockerBundling: false,
        minify: true,
        sourceMap: true,
        sourcesContent: false,
        format: OutputFormat.ESM,
        target: 'node24',
        mainFields: ['module', 'main'],
        banner: ESM_REQUIRE_BANNER,
        // Bundle our pinned SDK v3 and let esbuild tree-shake it, rather than load the runtime's full copy.
        bundleAwsSDK: true,
        externalModules: [],
        esbuildArgs: { '--alias': [CREDENTIAL_PROVIDER_ALIAS] },
      },
    });

    const alarms = new Construct(this, 'Alarms');
    const action = props.alarmAction;
    const name = this.node.path;
    this.alarms = {
      errors: createPatternAlarm(alarms, 'Errors', {
        metric: this.function.metricErrors({ statistic: 'Sum', period: ALARM_PERIOD }),
        threshold: 1,
        evaluation: evaluations.errors,
        description: `${name}: invocations failed ${describeEvaluation(evaluations.errors)}.`,
        alarmAction: action,
      }),
      throttles: createPatternAlarm(alarms, 'Throttles', {
        metric: this.function.metricThrottles({ statistic: 'Sum', period: ALARM_PERIOD }),
        threshold: 1,
        evaluation: evaluations.throttles,
        description: `${name}: invocations were throttled ${describeEvaluation(evaluations.throttles)} (concurrency exhausted).`,
        alarmAction: action,
      }),
      durationP99: createPatternAlarm(alarms, 'DurationP99', {
        metric: this.function.metricDuration({ statistic: 'p99', period: ALARM_PERIOD }),
        threshold: Math.round(fraction * timeout.toMilliseconds()),
        evaluation: evaluations.duration,
        description:
          `${name}: p99 duration reached ${Number((fraction * 100).toFixed(1))}% of the ${timeout.toHumanString()} timeout ` +
          `${describeEvaluation(evaluations.duration)}.`,
        alarmAction: action,
      }),
    };

    // cdk-nag findings that are by design (cdk-nag v3 reads CDK's native acknowledgements).
    Validations.of(this.function).acknowledge({
      id: 'AwsSolutions-L1',
      reason: 'Node.js 24 is pinned on purpose: it is the major the local runtime runs, so bundles behave alike.',
    });
    Validations.of(role).acknowledge({
      id: 'AwsSolutions-IAM5[Resource::*]',
      reason: 'X-Ray PutTraceSegments and PutTelemetryRecords support no resource-level permissions.',
    });
  }

  /**
   * A metric the handler publishes in the Embedded Metric Format through `lambdas/shared/metrics.ts`: namespace
   * `metricsNamespace`, dimensions `service` (= `serviceName`) plus `dimensions`, exactly the set the handler writes.
   */
  public customMetric(metricName: string, dimensions: Record<string, string>, options: cloudwatch.MetricOptions = {}): cloudwatch.Metric {
    return new cloudwatch.Metric({
      namespace: this.metricsNamespace,
      metricName,
      period: ALARM_PERIOD,
      ...options,
      dimensionsMap: { service: this.serviceName, ...dimensions },
    });
  }

  /** The function's latency (p50 and p99 duration against its alarm) and health (invocations, errors, throttles) side by side. */
  public dashboardWidgets(): cloudwatch.IWidget[] {
    const name = this.node.id;
    return sideBySide(
      {
        title: `${name}: duration (ms)`,
        left: [
          this.function.metricDuration({ statistic: 'p50', period: ALARM_PERIOD, label: 'p50' }),
          this.function.metricDuration({ statistic: 'p99', period: ALARM_PERIOD, label: 'p99' }),
        ],
        leftAnnotations: [this.alarms.durationP99.toAnnotation()],
      },
      {
        title: `${name}: invocations`,
        left: [
          this.function.metricInvocations({ statistic: 'Sum', period: ALARM_PERIOD, label: 'invocations' }),
          this.function.metricErrors({ statistic: 'Sum', period: ALARM_PERIOD, label: 'errors' }),
          this.function.metricThrottles({ statistic: 'Sum', period: ALARM_PERIOD, label: 'throttles' }),
        ],
      },
    );
  }
}

interface ResolvedProps {
  readonly timeout: Duration;
  readonly memorySize: Size;
  readonly logLevel: string;
  readonly fraction: number;
  readonly evaluations: { readonly errors: AlarmEvaluation; readonly throttles: AlarmEvaluation; readonly duration: AlarmEvaluation };
}

function validate(constructPath: string, props: ServiceFunctionProps, resolved: ResolvedProps): void {
  const problems: string[] = [];
  const { timeout, memorySize, logLevel, fraction, evaluations } = resolved;
  problems.push(
    ...alarmEvaluationProblems('errorsAlarmEvaluation', evaluations.errors),
    ...alarmEvaluationProblems('throttlesAlarmEvaluation', evaluations.throttles),
    ...alarmEvaluationProblems('durationAlarmEvaluation', evaluations.duration),
  );
  if (!(Number.isFinite(fraction) && fraction > 0 && fraction <= 1)) {
    problems.push(`durationAlarmFractionOfTimeout is ${fraction}: use a number in (0, 1], e.g. 0.8.`);
  }
  if (!timeout.isUnresolved()) {
    const ms = timeout.toMilliseconds();
    if (ms > MAX_TIMEOUT.toMilliseconds()) {
      problems.push(`timeout is ${timeout.toHumanString()}: Lambda allows at most 15 minutes; use a queue for longer work.`);
    } else if (ms < 1000) {
      problems.push(`timeout is ${timeout.toHumanString()}: Lambda needs at least 1 second.`);
    }
  }
  if (!memorySize.isUnresolved()) {
    const mib = memorySize.toMebibytes({ rounding: SizeRoundingBehavior.NONE });
    if (mib < MIN_MEMORY_MIB || mib > MAX_MEMORY_MIB || !Number.isInteger(mib)) {
      problems.push(
        `memorySize is ${mib} MiB: use a whole number of MiB from ${MIN_MEMORY_MIB} to ${MAX_MEMORY_MIB}, e.g. Size.mebibytes(256).`,
      );
    }
  }
  if (!LOG_LEVELS.includes(logLevel as ServiceLogLevel)) {
    problems.push(`logLevel is '${logLevel}': use one of ${LOG_LEVELS.join(', ')}.`);
  }
  const reserved = props.reservedConcurrentExecutions;
  if (reserved !== undefined && !(Number.isInteger(reserved) && reserved >= 0)) {
    problems.push(`reservedConcurrentExecutions is ${reserved}: use a whole number ≥ 0, or leave it unset for the shared pool.`);
  }
  if (props.serviceName.trim() === '') {
    problems.push(`serviceName is empty: name the owning service, e.g. 'catalog'.`);
  }
  if (props.metricsNamespace !== undefined && props.metricsNamespace.trim() === '') {
    problems.push(`metricsNamespace is empty: leave it unset for 'HybridShop' or name a namespace.`);
  }
  if (props.handler !== undefined && props.handler.trim() === '') {
    problems.push(`handler is empty: name the exported function, or leave it unset for 'handler'.`);
  }
  for (const key of MANAGED_ENVIRONMENT_KEYS) {
    if (props.environment && key in props.environment) {
      problems.push(
        `environment sets ${key}='${props.environment[key]}': ServiceFunction manages it; use serviceName, metricsNamespace or logLevel instead.`,
      );
    }
  }
  if (problems.length > 0) throw new PropsError('ServiceFunction', constructPath, problems);
}
