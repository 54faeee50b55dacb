import { Template } from 'aws-cdk-lib/assertions';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import { TABLE_ALARM_OPERATIONS, TableAlarms, type TableAlarmsProps } from '../../../lib/patterns/table-alarms';
import { TempApps, unbundledStacks } from '../support/apps';
import { itRejectsInvalidAlarmEvaluations, nagFindings, propsProblemsThrown } from '../support/checks';
import { ALARM_DEFAULTS, expectAlarmsNotify, expectNoAlarmActions, logicalId, propertiesOf, renderedSideBySide, THREE_OF_FIVE } from '../support/template';

interface MetricQuery {
  readonly Id: string;
  readonly Expression?: string;
  readonly ReturnData: boolean;
  readonly MetricStat?: {
    readonly Metric: { readonly Namespace: string; readonly MetricName: string; readonly Dimensions: { Name: string; Value: unknown }[] };
    readonly Period: number;
    readonly Stat: string;
  };
}

describe('TableAlarms', () => {
  const { stack, topic, alarmAction } = new TempApps('table-alarms').createStack('TableAlarmsTest');
  // Prepare: two tables, one watched with the defaults and one with every prop set.
  const key = { partitionKey: { name: 'pk', type: dynamodb.AttributeType.STRING } };
  const products = new dynamodb.Table(stack, 'Products', key);
  const orders = new dynamodb.Table(stack, 'Orders', key);
  const defaults = new TableAlarms(products, 'Alarms', { table: products });
  const custom = new TableAlarms(orders, 'Alarms', {
    table: orders,
    throttleEventsThreshold: 10,
    throttlesAlarmEvaluation: { datapointsToAlarm: 2, evaluationPeriods: 3 },
    operations: [dynamodb.Operation.GET_ITEM, dynamodb.Operation.TRANSACT_WRITE_ITEMS],
    systemErrorsAlarmEvaluation: { datapointsToAlarm: 1, evaluationPeriods: 1 },
    alarmAction,
  });
  let template: Template;

  const tableRef = (table: dynamodb.Table) => ({ Ref: logicalId(table) });

  beforeAll(() => {
    template = Template.fromStack(stack);
  });

  describe('throttles', () => {
    it('fires when read plus write throttle events of the table reach 1 in 3 of the last 5 periods of 5 minutes', () => {
      const throttleMetric = (id: string, metricName: string): MetricQuery => ({
        Id: id,
        MetricStat: { Metric: { Namespace: 'AWS/DynamoDB', MetricName: metricName, Dimensions: [{ Name: 'TableName', Value: tableRef(products) }] }, Period: 300, Stat: 'Sum' },
        ReturnData: false,
      });

      expect(propertiesOf(template, defaults.throttles)).toMatchObject({
        Metrics: [
          { Id: 'expr_1', Expression: 'FILL(reads, 0) + FILL(writes, 0)', ReturnData: true },
          throttleMetric('reads', 'ReadThrottleEvents'),
          throttleMetric('writes', 'WriteThrottleEvents'),
        ],
        Threshold: 1,
        ...THREE_OF_FIVE,
        ...ALARM_DEFAULTS,
      });
    });

    it('applies the threshold and the evaluation', () => {
      expect(propertiesOf(template, custom.throttles)).toMatchObject({ Threshold: 10, DatapointsToAlarm: 2, EvaluationPeriods: 3 });
    });
  });

  describe('system errors', () => {
    it("fires when DynamoDB's own errors, summed over every operation a handler calls, occur in 3 of the last 5 periods", () => {
      // Act
      const properties = propertiesOf(template, defaults.systemErrors) as { Metrics: MetricQuery[] };
      const [expression, ...metrics] = properties.Metrics;

      // Assess
      expect(properties).toMatchObject({ Threshold: 1, DatapointsToAlarm: 3, EvaluationPeriods: 5, TreatMissingData: 'notBreaching' });
      expect(metrics.map((metric) => metric.MetricStat?.Metric)).toEqual(
        TABLE_ALARM_OPERATIONS.map((operation) => ({
          Namespace: 'AWS/DynamoDB',
          MetricName: 'SystemErrors',
          Dimensions: [
            { Name: 'Operation', Value: operation },
            { Name: 'TableName', Value: tableRef(products) },
          ],
        })),
      );
      expect(metrics.every((metric) => metric.MetricStat?.Stat === 'Sum' && metric.MetricStat.Period === 300 && !metric.ReturnData)).toBe(true);
      // A FILL per operation: an operation nobody called in a period has no datapoint, which would hide the others.
      expect(expression).toMatchObject({ ReturnData: true, Expression: metrics.map((metric) => `FILL(${metric.Id}, 0)`).join(' + ') });
    });

    it("stays within CloudWatch's 10 metrics per alarm by default", () => {
      expect(TABLE_ALARM_OPERATIONS.length).toBeLessThanOrEqual(10);
      expect(new Set(TABLE_ALARM_OPERATIONS).size).toBe(TABLE_ALARM_OPERATIONS.length);
    });

    it('applies the operations and the evaluation', () => {
      const properties = propertiesOf(template, custom.systemErrors) as { Metrics: MetricQuery[]; DatapointsToAlarm: number; EvaluationPeriods: number };
      expect(properties.Metrics.slice(1).map((metric) => metric.MetricStat?.Metric.Dimensions[0].Value)).toEqual(['GetItem', 'TransactWriteItems']);
      expect([properties.DatapointsToAlarm, properties.EvaluationPeriods]).toEqual([1, 1]);
    });
  });

  describe('actions', () => {
    it('has no action unless one is given', () => {
      expectNoAlarmActions(template, [defaults.throttles, defaults.systemErrors]);
    });

    it('sends both alarms to alarmAction', () => {
      expectAlarmsNotify(template, [custom.throttles, custom.systemErrors], topic);
    });
  });

  describe('dashboardWidgets', () => {
    it("shows every table's throttle events beside its system errors, with metric ids of its own", () => {
      // Act
      const [throttles, errors] = renderedSideBySide(
        stack,
        TableAlarms.dashboardWidgets([
          { title: 'Products', alarms: defaults },
          { title: 'Orders', alarms: custom },
        ]),
      );

      // Assess
      expect(throttles).toContain('FILL(t0_reads, 0) + FILL(t0_writes, 0)');
      expect(throttles).toContain('FILL(t1_reads, 0) + FILL(t1_writes, 0)');
      expect(throttles).toContain('"label":"Orders"');
      expect(errors).toContain('FILL(t1_getItem, 0) + FILL(t1_transactWriteItems, 0)');
      expect(errors).toContain(JSON.stringify(tableRef(products)));
    });
  });

  describe('validation', () => {
    const invalidStack = unbundledStacks();
    const construct = (overrides: Partial<TableAlarmsProps>) => () => {
      const scope = invalidStack();
      const table = new dynamodb.Table(scope, 'Table', { partitionKey: { name: 'pk', type: dynamodb.AttributeType.STRING } });
      return new TableAlarms(table, 'Alarms', { table, ...overrides });
    };
    const problemsOf = propsProblemsThrown('TableAlarms');

    it.each([0, 2.5])('rejects a throttle events threshold of %p', (throttleEventsThreshold) => {
      expect(problemsOf(construct({ throttleEventsThreshold }))).toEqual([expect.stringMatching(/^throttleEventsThreshold is .*: use a whole number/)]);
    });

    it("rejects no operations, more than CloudWatch's 10 metrics per alarm, and a repeated operation", () => {
      expect(problemsOf(construct({ operations: [] }))).toEqual([expect.stringMatching(/^operations lists 0: give 1 to 10 operations/)]);
      const eleven = Object.values(dynamodb.Operation).slice(0, 11);
      expect(problemsOf(construct({ operations: eleven }))).toEqual([
        expect.stringMatching(/^operations lists 11: give 1 to 10 operations \(CloudWatch's limit of metrics per alarm\)/),
      ]);
      expect(problemsOf(construct({ operations: [dynamodb.Operation.GET_ITEM, dynamodb.Operation.GET_ITEM] }))).toEqual([
        'operations repeats GetItem: list each operation once.',
      ]);
    });

    itRejectsInvalidAlarmEvaluations<TableAlarmsProps>(['throttlesAlarmEvaluation', 'systemErrorsAlarmEvaluation'], problemsOf, construct);

    it('reports every invalid evaluation in one error naming the construct', () => {
      const act = construct({
        throttlesAlarmEvaluation: { datapointsToAlarm: 4, evaluationPeriods: 3 },
        systemErrorsAlarmEvaluation: { datapointsToAlarm: 2, evaluationPeriods: 1 },
      });
      expect(act).toThrow(/^Invalid TableAlarms props at Invalid\d+\/Table\/Alarms:\n- throttlesAlarmEvaluation is 4 of 3: .*\n- systemErrorsAlarmEvaluation is 2 of 1: /);
    });
  });

  describe('cdk-nag', () => {
    it('leaves no unacknowledged AwsSolutions finding on the alarms', () => {
      for (const alarms of [defaults, custom]) expect(nagFindings(alarms)).toEqual([]);
    });
  });
});
