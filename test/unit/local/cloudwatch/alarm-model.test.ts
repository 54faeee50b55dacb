import { ALARM_ARN_PREFIX, alarmModelOf, compositeAlarm, errorRateAlarm, metricAlarm } from './alarm-template';

describe('readAlarms: metric alarms', () => {
  it('reads a single-metric alarm with its dimensions resolved to local names', () => {
    // Act
    const { metricAlarms, warnings } = alarmModelOf({
      Errors: metricAlarm(),
      Age: metricAlarm({ Dimensions: [{ Name: 'QueueName', Value: { 'Fn::GetAtt': ['Queue', 'QueueName'] } }], Namespace: 'AWS/SQS', MetricName: 'ApproximateAgeOfOldestMessage', Statistic: 'Maximum' }),
    });

    // Assess
    expect(warnings).toEqual([]);
    const [errors, age] = metricAlarms;
    expect(errors).toMatchObject({
      kind: 'metric',
      logicalId: 'Errors',
      name: 'HybridShop-Errors',
      arn: `${ALARM_ARN_PREFIX}HybridShop-Errors`,
      description: 'errors',
      metric: { namespace: 'AWS/Lambda', metricName: 'Errors', dimensions: { FunctionName: 'shop-place-order' } },
      statistic: { kind: 'Sum' },
      periodSeconds: 300,
      evaluationPeriods: 1,
      datapointsToAlarm: 1,
      threshold: 1,
      comparisonOperator: 'GreaterThanOrEqualToThreshold',
      treatMissingData: 'notBreaching',
      effectiveTreatMissingData: 'notBreaching',
      actionsEnabled: true,
      alarmActions: ['arn:aws:sns:us-east-1:000000000000:HybridShop-Topic'],
    });
    expect(age.metric?.dimensions).toEqual({ QueueName: 'HybridShop-Queue' });
  });

  it('reads a percentile from ExtendedStatistic, and defaults DatapointsToAlarm and TreatMissingData as CloudWatch does', () => {
    // Act
    const { metricAlarms } = alarmModelOf({
      P99: metricAlarm({ Statistic: undefined, ExtendedStatistic: 'p99', DatapointsToAlarm: undefined, EvaluationPeriods: 3, TreatMissingData: undefined, AlarmName: 'slow' }),
    });

    // Assess
    expect(metricAlarms[0]).toMatchObject({ name: 'slow', statistic: { kind: 'percentile', percentile: 99 }, datapointsToAlarm: 3, treatMissingData: 'missing' });
  });

  it('reads a metric-math alarm: its queries, the expression parsed, the period of its metrics', () => {
    // Act
    const { metricAlarms, warnings } = alarmModelOf({ Rate: errorRateAlarm() });

    // Assess
    expect(warnings).toEqual([]);
    const [rate] = metricAlarms;
    expect(rate.metric).toBeUndefined();
    expect(rate.periodSeconds).toBe(300);
    expect(rate.queries?.map((query) => [query.id, query.returnData, query.expression?.text ?? query.metricStat?.metric.metricName])).toEqual([
      ['expr_1', true, '100 * errors / requests'],
      ['errors', false, '5XXError'],
      ['requests', false, 'Count'],
    ]);
    expect(rate.queries?.[1].metricStat?.metric.dimensions).toEqual({ ApiName: 'HybridShop-public', Stage: 'prod' });
  });

  it('makes alarms on AWS/DynamoDB metrics ignore missing data, as CloudWatch always does', () => {
    // Act
    const { metricAlarms } = alarmModelOf({ Throttled: metricAlarm({ Namespace: 'AWS/DynamoDB', MetricName: 'ThrottledRequests', Dimensions: [{ Name: 'TableName', Value: 'orders' }] }) });

    // Assess
    expect(metricAlarms[0]).toMatchObject({ treatMissingData: 'notBreaching', effectiveTreatMissingData: 'ignore' });
  });

  it('leaves out an alarm whose Condition is false', () => {
    // Act
    const { metricAlarms } = alarmModelOf(
      { Errors: { ...metricAlarm(), Condition: 'Never' } },
      { Conditions: { Never: { 'Fn::Equals': ['a', 'b'] } } },
    );

    // Assess
    expect(metricAlarms).toEqual([]);
  });

  it.each([
    ['an anomaly detection operator', { ComparisonOperator: 'LessThanLowerOrGreaterThanUpperThreshold' }, /anomaly detection band, which is not supported locally/],
    ['a trimmed mean', { Statistic: undefined, ExtendedStatistic: 'tm99' }, /trimmed mean statistic "tm99" is not supported locally/],
    ['both Statistic and ExtendedStatistic', { ExtendedStatistic: 'p99' }, /exactly one of Statistic and ExtendedStatistic/],
    ['DatapointsToAlarm above EvaluationPeriods', { DatapointsToAlarm: 3 }, /DatapointsToAlarm 3 is more than EvaluationPeriods 1/],
    ['a period CloudWatch rejects', { Period: 45 }, /Period 45 is not 10, 20, 30 or a multiple of 60/],
    ['an unknown TreatMissingData', { TreatMissingData: 'sometimes' }, /TreatMissingData "sometimes"/],
    ['a reference to another stack', { Dimensions: [{ Name: 'FunctionName', Value: { 'Fn::ImportValue': 'other' } }] }, /another stack's export/],
  ])('keeps an alarm with %s, unsupported, with a warning that says why', (_case, properties, reason) => {
    // Act
    const { metricAlarms, warnings } = alarmModelOf({ Odd: metricAlarm(properties) });

    // Assess
    expect(metricAlarms).toHaveLength(1);
    expect(metricAlarms[0].name).toBe('HybridShop-Odd');
    expect(metricAlarms[0].unsupported).toMatch(reason);
    expect(warnings).toEqual([{ logicalId: 'Odd', alarmName: 'HybridShop-Odd', message: expect.stringMatching(reason) }]);
  });

  it.each([
    ['a SEARCH expression', "SEARCH('{AWS/Lambda} Errors', 'Sum', 300)", /SEARCH at column 1 is not supported locally/],
    ['an unknown id', '100 * faults / requests', /uses faults, which is not an Id of Metrics/],
    ['a syntax error', '100 * (errors / requests', /Expected "\)" at column 25/],
  ])('marks a metric-math alarm with %s unsupported', (_case, expression, reason) => {
    // Prepare
    const alarm = errorRateAlarm();
    const metrics = (alarm.Properties!.Metrics as Record<string, unknown>[]).map((query, i) => (i === 0 ? { ...query, Expression: expression } : query));

    // Act
    const { metricAlarms } = alarmModelOf({ Rate: { ...alarm, Properties: { ...alarm.Properties, Metrics: metrics } } });

    // Assess
    expect(metricAlarms[0].unsupported).toMatch(reason);
  });
});

describe('readAlarms: composite alarms', () => {
  it('resolves the rule of nested composites to alarm names, whatever ARN the physical ids gave a composite', () => {
    // Act
    const { compositeAlarms, warnings } = alarmModelOf({
      Errors: metricAlarm(),
      Rate: errorRateAlarm(),
      Part: compositeAlarm('ShopPart1', ['Errors', 'Rate']),
      Top: compositeAlarm('ShopHealth', ['Part']),
    });

    // Assess
    expect(warnings).toEqual([]);
    const [part, top] = compositeAlarms;
    expect(part).toMatchObject({ kind: 'composite', name: 'ShopPart1', arn: `${ALARM_ARN_PREFIX}ShopPart1`, description: 'ShopPart1 health' });
    expect(part.alarmRule).toBe(`(ALARM("${ALARM_ARN_PREFIX}HybridShop-Errors") OR ALARM("${ALARM_ARN_PREFIX}HybridShop-Rate"))`);
    expect(part.rule).toEqual({
      type: 'or',
      operands: [
        { type: 'state', state: 'ALARM', alarm: 'HybridShop-Errors', position: 2 },
        { type: 'state', state: 'ALARM', alarm: 'HybridShop-Rate', position: expect.any(Number) },
      ],
    });
    expect(top.rule).toEqual({ type: 'state', state: 'ALARM', alarm: 'ShopPart1', position: 2 });
  });

  it('accepts names and ARNs in a hand-written rule', () => {
    // Act
    const { compositeAlarms } = alarmModelOf({
      Errors: metricAlarm(),
      Any: { Type: 'AWS::CloudWatch::CompositeAlarm', Properties: { AlarmRule: `ALARM(HybridShop-Errors) AND NOT OK("${ALARM_ARN_PREFIX}HybridShop-Errors")` } },
    });

    // Assess
    expect(compositeAlarms[0].name).toBe('HybridShop-Any');
    expect(compositeAlarms[0].unsupported).toBeUndefined();
  });

  it('marks unsupported a composite that names an alarm the template does not have, or has a syntax error', () => {
    // Act
    const { compositeAlarms, warnings } = alarmModelOf({
      Stray: { Type: 'AWS::CloudWatch::CompositeAlarm', Properties: { AlarmName: 'stray', AlarmRule: 'ALARM(elsewhere) OR ALARM(nowhere)' } },
      Broken: { Type: 'AWS::CloudWatch::CompositeAlarm', Properties: { AlarmName: 'broken', AlarmRule: 'ALARM(a) OR' } },
    });

    // Assess
    expect(compositeAlarms[0].unsupported).toBe('AlarmRule names elsewhere, nowhere, which are not alarms of the template');
    expect(compositeAlarms[1].unsupported).toMatch(/column 12/);
    expect(warnings.map((warning) => warning.alarmName)).toEqual(['stray', 'broken']);
  });

  it('rejects composites that depend on each other in a cycle', () => {
    // Act
    const { compositeAlarms, warnings } = alarmModelOf({
      Errors: metricAlarm(),
      A: compositeAlarm('a', ['Errors', 'B']),
      B: compositeAlarm('b', ['A']),
      Outside: compositeAlarm('outside', ['A']),
    });

    // Assess
    expect(compositeAlarms.find((alarm) => alarm.name === 'a')?.unsupported).toMatch(/depends on itself through other composite alarms: a → b → a/);
    expect(compositeAlarms.find((alarm) => alarm.name === 'b')?.rule).toBeUndefined();
    expect(compositeAlarms.find((alarm) => alarm.name === 'outside')?.unsupported).toBeUndefined();
    expect(warnings).toHaveLength(2);
  });
});
