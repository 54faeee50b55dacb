import {
  CloudWatchClient,
  DescribeAlarmsCommand,
  DescribeAlarmsForMetricCommand,
  GetMetricDataCommand,
  GetMetricStatisticsCommand,
  ListMetricsCommand,
  PutMetricAlarmCommand,
  PutMetricDataCommand,
  SetAlarmStateCommand,
  type CloudWatchServiceException,
} from '@aws-sdk/client-cloudwatch';
import { AlarmEvaluator } from '../../../../local/cloudwatch/alarm-evaluator';
import { cloudWatchService } from '../../../../local/cloudwatch/cloudwatch-service';
import { MetricStore } from '../../../../local/cloudwatch/metric-store';
import { EdgeServer } from '../../../../local/edge/edge-server';
import { TimeScale } from '../../../../local/shared/time-scale';
import { ALARM_ARN_PREFIX, alarmModelOf, compositeAlarm, errorRateAlarm, metricAlarm } from '../../../unit/local/cloudwatch/alarm-template';

const API = [
  { Name: 'ApiName', Value: 'HybridShop-public' },
  { Name: 'Stage', Value: 'prod' },
];

async function failure(promise: Promise<unknown>): Promise<CloudWatchServiceException & { Code?: string }> {
  try {
    await promise;
  } catch (error) {
    return error as CloudWatchServiceException & { Code?: string };
  }
  throw new Error('expected the call to fail');
}

describe('the CloudWatch edge service, through the AWS SDK (JSON 1.0)', () => {
  let edge: EdgeServer;
  let client: CloudWatchClient;
  let store: MetricStore;
  let evaluator: AlarmEvaluator;
  const encodings: (string | undefined)[] = [];
  const now = Math.floor(Date.now() / 60_000) * 60_000 - 120_000;

  beforeAll(async () => {
    store = new MetricStore();
    evaluator = new AlarmEvaluator({
      alarms: alarmModelOf({
        Errors: metricAlarm(),
        Rate: errorRateAlarm(),
        Health: compositeAlarm('ShopHealth', ['Errors', 'Rate']),
      }),
      store,
      timeScale: new TimeScale(0.01),
    });
    edge = new EdgeServer();
    const service = cloudWatchService({ store, evaluator, region: 'us-east-1', accountId: '000000000000' });
    edge.register({ ...service, handle: (req) => (encodings.push(req.headers['content-encoding'] as string | undefined), service.handle(req)) });
    const { url } = await edge.listen(0);
    client = new CloudWatchClient({ endpoint: url, region: 'us-east-1', credentials: { accessKeyId: 'test', secretAccessKey: 'test' }, maxAttempts: 1 });
  });

  afterAll(async () => {
    client.destroy();
    await edge.close();
  });

  it('stores PutMetricData values and answers GetMetricData, MetricStat and Expression, newest first', async () => {
    // Prepare
    await client.send(
      new PutMetricDataCommand({
        Namespace: 'Shop/Test',
        MetricData: [
          { MetricName: 'Requests', Dimensions: API, Timestamp: new Date(now + 1_000), Values: [1, 1, 1, 1], Unit: 'Count' },
          { MetricName: 'Requests', Dimensions: API, Timestamp: new Date(now + 61_000), Value: 10, Unit: 'Count' },
          { MetricName: 'Faults', Dimensions: API, Timestamp: new Date(now + 2_000), StatisticValues: { SampleCount: 2, Sum: 2, Minimum: 1, Maximum: 1 }, Unit: 'Count' },
        ],
      }),
    );

    // Act
    const answer = await client.send(
      new GetMetricDataCommand({
        StartTime: new Date(now),
        EndTime: new Date(now + 120_000),
        MetricDataQueries: [
          { Id: 'requests', MetricStat: { Metric: { Namespace: 'Shop/Test', MetricName: 'Requests', Dimensions: API }, Period: 60, Stat: 'Sum' } },
          { Id: 'faults', MetricStat: { Metric: { Namespace: 'Shop/Test', MetricName: 'Faults', Dimensions: API }, Period: 60, Stat: 'Sum' }, ReturnData: false },
          { Id: 'rate', Expression: '100 * faults / requests', Label: 'fault rate' },
        ],
      }),
    );

    // Assess
    expect(answer.MetricDataResults).toEqual([
      { Id: 'requests', Label: 'Requests', Timestamps: [new Date(now + 60_000), new Date(now)], Values: [10, 4], StatusCode: 'Complete', Messages: [] },
      { Id: 'rate', Label: 'fault rate', Timestamps: [new Date(now)], Values: [50], StatusCode: 'Complete', Messages: [] },
    ]);
  });

  it('answers GetMetricStatistics with simple and extended statistics', async () => {
    // Prepare
    await client.send(
      new PutMetricDataCommand({
        Namespace: 'Shop/Stats',
        MetricData: [{ MetricName: 'Latency', Values: Array.from({ length: 100 }, (_, i) => i + 1), Timestamp: new Date(now + 5_000), Unit: 'Milliseconds' }],
      }),
    );

    // Act
    const answer = await client.send(
      new GetMetricStatisticsCommand({
        Namespace: 'Shop/Stats',
        MetricName: 'Latency',
        StartTime: new Date(now),
        EndTime: new Date(now + 60_000),
        Period: 60,
        Statistics: ['Average', 'Maximum', 'SampleCount'],
        ExtendedStatistics: ['p99'],
      }),
    );

    // Assess
    expect(answer.Label).toBe('Latency');
    expect(answer.Datapoints).toEqual([{ Timestamp: new Date(now), Average: 50.5, Maximum: 100, SampleCount: 100, Unit: 'Milliseconds', ExtendedStatistics: { p99: 99 } }]);
  });

  it('lists metrics, filtered by namespace and dimension', async () => {
    // Act
    const answer = await client.send(new ListMetricsCommand({ Namespace: 'Shop/Test', Dimensions: [{ Name: 'Stage', Value: 'prod' }] }));

    // Assess
    expect(answer.Metrics?.map((metric) => metric.MetricName).sort()).toEqual(['Faults', 'Requests']);
    expect(answer.Metrics?.[0].Dimensions).toEqual(API);
  });

  it('rejects PutMetricData into an AWS/ namespace, with the error CloudWatch gives', async () => {
    // Act
    const error = await failure(client.send(new PutMetricDataCommand({ Namespace: 'AWS/Lambda', MetricData: [{ MetricName: 'Errors', Value: 1 }] })));

    // Assess
    expect(error.name).toBe('InvalidParameterValueException');
    expect(error.Code).toBe('InvalidParameterValue');
    expect(error.$metadata.httpStatusCode).toBe(400);
    expect(error.message).toMatch(/AWS\/Lambda for parameter Namespace is invalid/);
  });

  it('rejects a datum with both Value and Values, and stores nothing of the call', async () => {
    // Act
    const error = await failure(
      client.send(
        new PutMetricDataCommand({
          Namespace: 'Shop/Atomic',
          MetricData: [
            { MetricName: 'Fine', Value: 1 },
            { MetricName: 'Both', Value: 1, Values: [2] },
          ],
        }),
      ),
    );

    // Assess
    expect(error.name).toBe('InvalidParameterCombinationException');
    expect(store.listMetrics({ namespace: 'Shop/Atomic' })).toEqual([]);
  });

  it('takes a large, gzip-compressed PutMetricData of 1000 metrics', async () => {
    // Prepare
    encodings.length = 0;

    // Act
    await client.send(
      new PutMetricDataCommand({
        Namespace: 'Shop/Bulk',
        MetricData: Array.from({ length: 1000 }, (_, i) => ({ MetricName: `m${i % 10}`, Dimensions: [{ Name: 'shard', Value: String(i) }], Value: i })),
      }),
    );

    // Assess
    expect(encodings).toEqual(['gzip']);
    expect(store.listMetrics({ namespace: 'Shop/Bulk' })).toHaveLength(1000);
  });

  it('describes metric alarms by default, composites when asked, with their configuration and state', async () => {
    // Prepare
    evaluator.evaluateNow();

    // Act
    const metricOnly = await client.send(new DescribeAlarmsCommand({}));
    const both = await client.send(new DescribeAlarmsCommand({ AlarmTypes: ['MetricAlarm', 'CompositeAlarm'] }));

    // Assess
    expect(metricOnly.CompositeAlarms).toEqual([]);
    expect(metricOnly.MetricAlarms?.map((alarm) => alarm.AlarmName)).toEqual(['HybridShop-Errors', 'HybridShop-Rate']);
    expect(metricOnly.MetricAlarms?.[0]).toMatchObject({
      AlarmArn: `${ALARM_ARN_PREFIX}HybridShop-Errors`,
      AlarmDescription: 'errors',
      StateValue: 'OK',
      StateReason: expect.stringMatching(/^Threshold Crossed: no datapoints were received for 1 period/),
      StateUpdatedTimestamp: expect.any(Date),
      Namespace: 'AWS/Lambda',
      MetricName: 'Errors',
      Dimensions: [{ Name: 'FunctionName', Value: 'shop-place-order' }],
      Statistic: 'Sum',
      Period: 300,
      EvaluationPeriods: 1,
      DatapointsToAlarm: 1,
      Threshold: 1,
      ComparisonOperator: 'GreaterThanOrEqualToThreshold',
      TreatMissingData: 'notBreaching',
      ActionsEnabled: true,
      AlarmActions: ['arn:aws:sns:us-east-1:000000000000:HybridShop-Topic'],
    });
    expect(metricOnly.MetricAlarms?.[1].Metrics?.map((query) => query.Expression ?? query.MetricStat?.Metric?.MetricName)).toEqual(['100 * errors / requests', '5XXError', 'Count']);
    expect(both.CompositeAlarms).toEqual([
      expect.objectContaining({ AlarmName: 'ShopHealth', StateValue: 'OK', AlarmRule: expect.stringContaining(`ALARM("${ALARM_ARN_PREFIX}HybridShop-Errors")`) }),
    ]);
  });

  it('filters DescribeAlarms by prefix, state and parent, and pages with NextToken', async () => {
    // Act
    const byPrefix = await client.send(new DescribeAlarmsCommand({ AlarmNamePrefix: 'HybridShop-R' }));
    const alarming = await client.send(new DescribeAlarmsCommand({ StateValue: 'ALARM', AlarmTypes: ['MetricAlarm', 'CompositeAlarm'] }));
    const children = await client.send(new DescribeAlarmsCommand({ ChildrenOfAlarmName: 'ShopHealth', AlarmTypes: ['MetricAlarm'] }));
    const first = await client.send(new DescribeAlarmsCommand({ MaxRecords: 1, AlarmTypes: ['MetricAlarm', 'CompositeAlarm'] }));
    const second = await client.send(new DescribeAlarmsCommand({ MaxRecords: 1, NextToken: first.NextToken, AlarmTypes: ['MetricAlarm', 'CompositeAlarm'] }));

    // Assess
    expect(byPrefix.MetricAlarms?.map((alarm) => alarm.AlarmName)).toEqual(['HybridShop-Rate']);
    expect(alarming.MetricAlarms).toEqual([]);
    expect(children.MetricAlarms?.map((alarm) => alarm.AlarmName)).toEqual(['HybridShop-Errors', 'HybridShop-Rate']);
    expect(first.MetricAlarms?.map((alarm) => alarm.AlarmName)).toEqual(['HybridShop-Errors']);
    expect(second.MetricAlarms?.map((alarm) => alarm.AlarmName)).toEqual(['HybridShop-Rate']);
    expect(second.NextToken).toBeDefined();
  });

  it('describes the alarms on one metric', async () => {
    // Act
    const errors = await client.send(new DescribeAlarmsForMetricCommand({ Namespace: 'AWS/Lambda', MetricName: 'Errors', Dimensions: [{ Name: 'FunctionName', Value: 'shop-place-order' }] }));
    const other = await client.send(new DescribeAlarmsForMetricCommand({ Namespace: 'AWS/Lambda', MetricName: 'Errors', Dimensions: [{ Name: 'FunctionName', Value: 'shop-place-order' }], Statistic: 'Maximum' }));

    // Assess
    expect(errors.MetricAlarms?.map((alarm) => alarm.AlarmName)).toEqual(['HybridShop-Errors']);
    expect(other.MetricAlarms).toEqual([]);
  });

  it('sets an alarm state with SetAlarmState, and its composite follows', async () => {
    // Act
    await client.send(new SetAlarmStateCommand({ AlarmName: 'HybridShop-Errors', StateValue: 'ALARM', StateReason: 'testing the pager' }));
    const answer = await client.send(new DescribeAlarmsCommand({ AlarmNames: ['HybridShop-Errors', 'ShopHealth'], AlarmTypes: ['MetricAlarm', 'CompositeAlarm'] }));
    evaluator.evaluateNow();

    // Assess
    expect(answer.MetricAlarms?.[0]).toMatchObject({ StateValue: 'ALARM', StateReason: 'testing the pager' });
    expect(answer.CompositeAlarms?.[0].StateValue).toBe('ALARM');
    expect(evaluator.status('HybridShop-Errors')?.state).toBe('OK');
  });

  it('answers SetAlarmState on an unknown alarm with ResourceNotFound', async () => {
    // Act
    const error = await failure(client.send(new SetAlarmStateCommand({ AlarmName: 'nope', StateValue: 'ALARM', StateReason: 'x' })));

    // Assess
    expect(error.name).toBe('ResourceNotFound');
    expect(error.$metadata.httpStatusCode).toBe(404);
  });

  it('answers an operation it does not serve with an error that says what it serves', async () => {
    // Act
    const error = await failure(
      client.send(new PutMetricAlarmCommand({ AlarmName: 'x', EvaluationPeriods: 1, ComparisonOperator: 'GreaterThanThreshold', Threshold: 1, MetricName: 'm', Namespace: 'n', Period: 60, Statistic: 'Sum' })),
    );

    // Assess
    expect(error.message).toMatch(/does not serve PutMetricAlarm: it serves PutMetricData, GetMetricData/);
    expect(error.$metadata.httpStatusCode).toBe(400);
  });

  it('rejects a GetMetricData query with an unsupported statistic or expression, naming it', async () => {
    // Act
    const statistic = await failure(
      client.send(
        new GetMetricDataCommand({
          StartTime: new Date(now),
          EndTime: new Date(now + 60_000),
          MetricDataQueries: [{ Id: 'm', MetricStat: { Metric: { Namespace: 'Shop/Test', MetricName: 'Requests' }, Period: 60, Stat: 'tm99' } }],
        }),
      ),
    );
    const search = await failure(
      client.send(new GetMetricDataCommand({ StartTime: new Date(now), EndTime: new Date(now + 60_000), MetricDataQueries: [{ Id: 's', Expression: "SEARCH('x', 'Sum', 60)", Period: 60 }] })),
    );

    // Assess
    expect(statistic.name).toBe('InvalidParameterValueException');
    expect(statistic.message).toMatch(/trimmed mean statistic "tm99" is not supported locally/);
    expect(search.message).toMatch(/SEARCH at column 1 is not supported locally/);
  });
});
