import * as fs from 'node:fs';
import * as path from 'node:path';
import { Duration, Size } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import * as logs from 'aws-cdk-lib/aws-logs';
import { PropsError } from '../../../lib/patterns/problems-error';
import { ServiceFunction, type ServiceFunctionProps, type ServiceLogLevel } from '../../../lib/patterns/service-function';
import { HELLO, SDK_CLIENT, TempApps, unbundledStacks } from '../support/apps';
import { itRejectsInvalidAlarmEvaluations, nagFindings, propsProblemsThrown } from '../support/checks';
import { ALARM_DEFAULTS, expectAlarmsNotify, expectNoAlarmActions, expectRolePolicy, FIVE_MINUTE_PERIODS, getAttArn, logicalId, propertiesOf, renderedSideBySide, THREE_OF_FIVE } from '../support/template';

describe('ServiceFunction', () => {
  const { app, stack, topic, alarmAction } = new TempApps('service-function').createStack('ServiceFunctionTest');
  // Prepare: one stack, synthesized once, with a function per configuration under test.
  const defaults = new ServiceFunction(stack, 'Defaults', { entry: HELLO, serviceName: 'catalog' });
  const custom = new ServiceFunction(stack, 'Custom', {
    entry: HELLO,
    handler: 'main',
    description: 'A function with every prop set',
    environment: { TABLE_NAME: 'products' },
    timeout: Duration.seconds(10),
    memorySize: Size.mebibytes(512),
    reservedConcurrentExecutions: 5,
    logRetention: logs.RetentionDays.ONE_WEEK,
    logLevel: 'DEBUG',
    serviceName: 'orders',
    metricsNamespace: 'ShopTest',
    durationAlarmFractionOfTimeout: 0.5,
    errorsAlarmEvaluation: { datapointsToAlarm: 1, evaluationPeriods: 1 },
    throttlesAlarmEvaluation: { datapointsToAlarm: 2, evaluationPeriods: 3 },
    durationAlarmEvaluation: { datapointsToAlarm: 4, evaluationPeriods: 6 },
    enableSourceMaps: true,
    alarmAction,
  });
  const quiet = new ServiceFunction(stack, 'Quiet', { entry: HELLO, serviceName: 'catalog', logLevel: 'ERROR' });
  const sdk = new ServiceFunction(stack, 'Sdk', { entry: SDK_CLIENT, serviceName: 'inventory' });
  let template: Template;

  /** The bundled `index.mjs` of a function, read from the cloud assembly. */
  const bundleOf = (fn: ServiceFunction): { code: string; map: string | undefined } => {
    const key = template.toJSON().Resources[logicalId(fn)].Properties.Code.S3Key as string;
    const dir = path.join(app.outdir, `asset.${key.replace(/\.zip$/, '')}`);
    const mapFile = path.join(dir, 'index.mjs.map');
    return {
      code: fs.readFileSync(path.join(dir, 'index.mjs'), 'utf8'),
      map: fs.existsSync(mapFile) ? fs.readFileSync(mapFile, 'utf8') : undefined,
    };
  };

  beforeAll(() => {
    template = Template.fromStack(stack);
  });

  describe('by default', () => {
    it('runs on Node.js 24 on arm64', () => {
      expect(template.toJSON().Resources[logicalId(defaults)].Properties).toMatchObject({
        Runtime: 'nodejs24.x',
        Architectures: ['arm64'],
        Handler: 'index.handler',
      });
    });

    it('traces every invocation actively', () => {
      expect(template.toJSON().Resources[logicalId(defaults)].Properties.TracingConfig).toEqual({ Mode: 'Active' });
    });

    it('times out after 3 seconds with 256 MiB of memory and no reserved concurrency', () => {
      const properties = template.toJSON().Resources[logicalId(defaults)].Properties;

      expect(properties).toMatchObject({ Timeout: 3, MemorySize: 256 });
      expect(properties.ReservedConcurrentExecutions).toBeUndefined();
      expect(defaults.reservedConcurrentExecutions).toBeUndefined();
    });

    it('logs JSON at INFO into its own log group', () => {
      expect(template.toJSON().Resources[logicalId(defaults)].Properties.LoggingConfig).toEqual({
        LogFormat: 'JSON',
        ApplicationLogLevel: 'INFO',
        SystemLogLevel: 'INFO',
        LogGroup: { Ref: logicalId(defaults.logGroup) },
      });
    });

    it('keeps its logs 30 days and deletes them with the stack', () => {
      expect(template.toJSON().Resources[logicalId(defaults.logGroup)]).toEqual({
        Type: 'AWS::Logs::LogGroup',
        Properties: { RetentionInDays: 30 },
        UpdateReplacePolicy: 'Delete',
        DeletionPolicy: 'Delete',
      });
    });

    it('creates no log-retention custom resource', () => {
      template.resourceCountIs('Custom::LogRetention', 0);
    });

    it('sets the Powertools and log level variables, and leaves source maps off for a faster cold start', () => {
      expect(template.toJSON().Resources[logicalId(defaults)].Properties.Environment).toEqual({
        Variables: {
          POWERTOOLS_SERVICE_NAME: 'catalog',
          POWERTOOLS_METRICS_NAMESPACE: 'HybridShop',
          POWERTOOLS_LOG_LEVEL: 'INFO',
          LOG_LEVEL: 'INFO',
        },
      });
    });

    it('lets its role write to its own log group and trace, with no managed policy', () => {
      const roleId = logicalId(defaults.function.role!);

      expect(template.toJSON().Resources[roleId].Properties.ManagedPolicyArns).toBeUndefined();
      expectRolePolicy(template, roleId, [
        {
          Action: ['logs:CreateLogStream', 'logs:PutLogEvents'],
          Effect: 'Allow',
          Resource: getAttArn(defaults.logGroup),
        },
        { Action: ['xray:PutTraceSegments', 'xray:PutTelemetryRecords'], Effect: 'Allow', Resource: '*' },
      ]);
    });
  });

  describe('bundle', () => {
    it('is minified ESM with the createRequire banner and a linked source map without sources', () => {
      // Act
      const { code, map } = bundleOf(defaults);

      // Assess
      expect(code.startsWith("import { createRequire } from 'module'; const require = createRequire(import.meta.url);")).toBe(
        true,
      );
      expect(code).toContain('export{');
      expect(code).toMatch(/\/\/# sourceMappingURL=index\.mjs\.map\s*$/);
      expect(code.split('\n').length).toBeLessThanOrEqual(4);
      expect(map).toBeDefined();
      expect(JSON.parse(map!)).not.toHaveProperty('sourcesContent');
    });

    it('bundles the AWS SDK with the env-only credential provider instead of the default chain', () => {
      // Act
      const { code } = bundleOf(sdk);

      // Assess: the SDK is inside the bundle, the environment provider is there, the rest of the chain is not.
      expect(code).toContain('DynamoDB_20120810');
      expect(code).toContain('AWS_ACCESS_KEY_ID');
      expect(code).not.toContain('AWS_CONTAINER_CREDENTIALS_FULL_URI');
      expect(code).not.toContain('AWS_WEB_IDENTITY_TOKEN_FILE');
      expect(code).not.toContain('credential_process');
      expect(code).not.toMatch(/from\s*["']@aws-sdk\//);
    });
  });

  describe('alarms', () => {
    const lambdaAlarm = (fn: ServiceFunction, metricName: string) => ({
      Namespace: 'AWS/Lambda',
      MetricName: metricName,
      Dimensions: [{ Name: 'FunctionName', Value: { Ref: logicalId(fn) } }],
      ...FIVE_MINUTE_PERIODS,
      ...ALARM_DEFAULTS,
    });

    it.each([
      ['errors', 'Errors'],
      ['throttles', 'Throttles'],
    ] as const)('fires on %s in 3 of the last 5 periods of 5 minutes, not on one', (alarm, metricName) => {
      expect(propertiesOf(template, defaults.alarms[alarm])).toMatchObject({
        ...lambdaAlarm(defaults, metricName),
        ...THREE_OF_FIVE,
        Statistic: 'Sum',
        Threshold: 1,
      });
    });

    it('says in the errors alarm which function failed and when it fires', () => {
      expect(propertiesOf(template, defaults.alarms.errors).AlarmDescription).toBe(
        'ServiceFunctionTest/Defaults: invocations failed in 3 of the last 5 periods of 5 minutes.',
      );
    });

    it('fires when p99 duration reaches 80% of the timeout in 3 of the last 5 periods', () => {
      expect(propertiesOf(template, defaults.alarms.durationP99)).toMatchObject({
        ...lambdaAlarm(defaults, 'Duration'),
        ...THREE_OF_FIVE,
        ExtendedStatistic: 'p99',
        Threshold: 2400,
      });
      expect(propertiesOf(template, defaults.alarms.durationP99).Statistic).toBeUndefined();
    });

    it('has no action unless one is given', () => {
      expectNoAlarmActions(template, Object.values(defaults.alarms));
    });

    it('sends every alarm to alarmAction', () => {
      expectAlarmsNotify(template, Object.values(custom.alarms), topic);
    });

    it('applies each alarm family its own datapoints out of evaluation periods', () => {
      expect(propertiesOf(template, custom.alarms.errors)).toMatchObject({ DatapointsToAlarm: 1, EvaluationPeriods: 1 });
      expect(propertiesOf(template, custom.alarms.throttles)).toMatchObject({ DatapointsToAlarm: 2, EvaluationPeriods: 3 });
      expect(propertiesOf(template, custom.alarms.durationP99)).toMatchObject({ DatapointsToAlarm: 4, EvaluationPeriods: 6 });
      expect(propertiesOf(template, custom.alarms.errors).AlarmDescription).toBe('ServiceFunctionTest/Custom: invocations failed in 5 minutes.');
    });

    it('scales the duration threshold with the timeout and the fraction', () => {
      expect(propertiesOf(template, custom.alarms.durationP99)).toMatchObject({
        ...lambdaAlarm(custom, 'Duration'),
        ExtendedStatistic: 'p99',
        Threshold: 5000,
      });
    });
  });

  describe('with every prop set', () => {
    it('applies the handler, description, timeout, memory and reserved concurrency', () => {
      expect(template.toJSON().Resources[logicalId(custom)].Properties).toMatchObject({
        Handler: 'index.main',
        Description: 'A function with every prop set',
        Timeout: 10,
        MemorySize: 512,
        ReservedConcurrentExecutions: 5,
      });
      expect(custom.reservedConcurrentExecutions).toBe(5);
    });

    it('keeps the caller environment next to the managed variables, source maps turned on', () => {
      expect(template.toJSON().Resources[logicalId(custom)].Properties.Environment.Variables).toEqual({
        TABLE_NAME: 'products',
        NODE_OPTIONS: '--enable-source-maps',
        POWERTOOLS_SERVICE_NAME: 'orders',
        POWERTOOLS_METRICS_NAMESPACE: 'ShopTest',
        POWERTOOLS_LOG_LEVEL: 'DEBUG',
        LOG_LEVEL: 'DEBUG',
      });
    });

    it('applies the log level to Lambda application and system logs', () => {
      expect(template.toJSON().Resources[logicalId(custom)].Properties.LoggingConfig).toMatchObject({
        ApplicationLogLevel: 'DEBUG',
        SystemLogLevel: 'DEBUG',
      });
    });

    it('logs platform events at WARN when the level is ERROR, the highest system level Lambda has', () => {
      expect(template.toJSON().Resources[logicalId(quiet)].Properties.LoggingConfig).toMatchObject({
        ApplicationLogLevel: 'ERROR',
        SystemLogLevel: 'WARN',
      });
    });

    it('applies the log retention', () => {
      expect(template.toJSON().Resources[logicalId(custom.logGroup)].Properties).toEqual({ RetentionInDays: 7 });
    });
  });

  describe('customMetric', () => {
    it("names the handler's EMF metric by its namespace and its service dimension", () => {
      expect(stack.resolve(custom.customMetric('Things', { Kind: 'a' }, { statistic: 'Sum' }).toMetricConfig().metricStat)).toMatchObject({
        namespace: 'ShopTest',
        metricName: 'Things',
        dimensions: [
          { name: 'Kind', value: 'a' },
          { name: 'service', value: 'orders' },
        ],
        statistic: 'Sum',
      });
    });
  });

  describe('dashboardWidgets', () => {
    it('shows p50 and p99 duration against the duration alarm beside invocations, errors and throttles', () => {
      // Act
      const [latency, health] = renderedSideBySide(stack, defaults.dashboardWidgets());
      const functionName = JSON.stringify({ Ref: logicalId(defaults) });

      // Assess
      expect(latency).toContain('"Duration"');
      expect(latency).toContain('"p99"');
      expect(latency).toContain(functionName);
      expect(latency).toContain('"value":2400');
      expect(health).toContain('"Throttles"');
      expect(health).toContain(functionName);
    });
  });

  describe('validation', () => {
    const invalidStack = unbundledStacks();
    const construct =
      (overrides: Partial<ServiceFunctionProps>): (() => ServiceFunction) =>
      () =>
        new ServiceFunction(invalidStack(), 'Fn', { entry: HELLO, serviceName: 'catalog', ...overrides });
    const problemsOf = propsProblemsThrown('ServiceFunction');

    it.each([0, -0.5, 1.5, Number.NaN])('rejects a duration alarm fraction of %p, outside (0, 1]', (fraction) => {
      expect(problemsOf(construct({ durationAlarmFractionOfTimeout: fraction }))).toEqual([
        expect.stringMatching(/^durationAlarmFractionOfTimeout is .*\(0, 1\]/),
      ]);
    });

    it('accepts a duration alarm fraction of exactly 1', () => {
      expect(() => construct({ durationAlarmFractionOfTimeout: 1 })()).not.toThrow();
    });

    itRejectsInvalidAlarmEvaluations<ServiceFunctionProps>(
      ['errorsAlarmEvaluation', 'throttlesAlarmEvaluation', 'durationAlarmEvaluation'],
      problemsOf,
      construct,
    );

    it('rejects an evaluation range longer than the day CloudWatch allows', () => {
      expect(problemsOf(construct({ errorsAlarmEvaluation: { datapointsToAlarm: 1, evaluationPeriods: 289 } }))).toEqual([
        expect.stringMatching(/^errorsAlarmEvaluation is 1 of 289: evaluationPeriods must be a whole number from 1 to 288/),
      ]);
    });

    it('rejects a timeout above 15 minutes', () => {
      expect(problemsOf(construct({ timeout: Duration.minutes(16) }))).toEqual([
        expect.stringMatching(/^timeout is 16 minutes: Lambda allows at most 15 minutes/),
      ]);
    });

    it('rejects a timeout below 1 second', () => {
      expect(problemsOf(construct({ timeout: Duration.millis(500) }))).toEqual([
        expect.stringMatching(/^timeout is 500 millis: Lambda needs at least 1 second/),
      ]);
    });

    it.each([Size.mebibytes(64), Size.mebibytes(10_241), Size.kibibytes(200_000)])(
      'rejects memory outside 128 to 10240 whole MiB (%#)',
      (memorySize) => {
        expect(problemsOf(construct({ memorySize }))).toEqual([expect.stringMatching(/^memorySize is .* MiB: use a whole number/)]);
      },
    );

    it.each([-1, 2.5])('rejects a reserved concurrency of %p', (reservedConcurrentExecutions) => {
      expect(problemsOf(construct({ reservedConcurrentExecutions }))).toEqual([
        expect.stringMatching(/^reservedConcurrentExecutions is/),
      ]);
    });

    it('rejects an unknown log level', () => {
      expect(problemsOf(construct({ logLevel: 'TRACE' as ServiceLogLevel }))).toEqual([
        expect.stringMatching(/^logLevel is 'TRACE': use one of DEBUG, INFO, WARN, ERROR/),
      ]);
    });

    it('rejects an empty serviceName, metricsNamespace or handler', () => {
      expect(problemsOf(construct({ serviceName: ' ', metricsNamespace: '', handler: '' }))).toEqual([
        expect.stringMatching(/^serviceName is empty/),
        expect.stringMatching(/^metricsNamespace is empty/),
        expect.stringMatching(/^handler is empty/),
      ]);
    });

    it('rejects environment variables the construct manages', () => {
      expect(
        problemsOf(construct({ environment: { POWERTOOLS_SERVICE_NAME: 'other', LOG_LEVEL: 'DEBUG', TABLE_NAME: 't' } })),
      ).toEqual([
        expect.stringMatching(/^environment sets POWERTOOLS_SERVICE_NAME='other': ServiceFunction manages it/),
        expect.stringMatching(/^environment sets LOG_LEVEL='DEBUG'/),
      ]);
    });

    it('reports every problem in one error naming the construct', () => {
      // Act
      const act = construct({ timeout: Duration.minutes(20), memorySize: Size.mebibytes(64), durationAlarmFractionOfTimeout: 2 });

      // Assess
      expect(act).toThrow(PropsError);
      expect(act).toThrow(/^Invalid ServiceFunction props at Invalid\d+\/Fn:\n- durationAlarmFractionOfTimeout .*\n- timeout .*\n- memorySize /);
    });
  });

  describe('cdk-nag', () => {
    it('leaves no unacknowledged AwsSolutions finding in any configuration', () => {
      for (const fn of [defaults, custom, quiet, sdk]) expect(nagFindings(fn)).toEqual([]);
    });
  });
});
