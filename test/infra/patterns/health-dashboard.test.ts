import { Template } from 'aws-cdk-lib/assertions';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import { HealthDashboard, MAX_ALARMS_PER_RULE, sideBySide, type HealthDashboardProps } from '../../../lib/patterns/health-dashboard';
import { QueueWorker } from '../../../lib/patterns/queue-worker';
import { ServiceFunction } from '../../../lib/patterns/service-function';
import { SyncApi } from '../../../lib/patterns/sync-api';
import { HELLO, TempApps, unbundledStacks } from '../support/apps';
import { nagFindings, propsProblemsThrown } from '../support/checks';
import { logicalId, propertiesOf } from '../support/template';

/** A dashboard widget as CloudWatch reads it from the dashboard body. */
interface RenderedWidget {
  readonly type: string;
  readonly x: number;
  readonly y: number;
  readonly width: number;
  readonly height: number;
  readonly properties: { readonly markdown?: string; readonly title?: string; readonly alarms?: readonly string[] };
}

describe('HealthDashboard', () => {
  const { stack, topic, alarmAction } = new TempApps('health-dashboard').createStack('HealthDashboardTest');
  // Prepare: one stack, synthesized once: a dashboard over three patterns, and one over more alarms than a rule holds.
  const fn = new ServiceFunction(stack, 'Catalog', { entry: HELLO, serviceName: 'catalog' });
  const api = new SyncApi(stack, 'Api', { apiName: 'shop' });
  api.addRoute('GET', '/products', fn);
  const worker = new QueueWorker(stack, 'Notifications', { handler: fn });

  const health = new HealthDashboard(stack, 'Health', {
    alarms: [...Object.values(api.alarms), ...Object.values(fn.alarms), ...Object.values(worker.alarms), fn.alarms.errors],
    rows: [
      { title: 'Public API', widgets: api.dashboardWidgets() },
      { title: 'Catalog function', widgets: fn.dashboardWidgets() },
      { title: 'Notifications queue', widgets: [...fn.dashboardWidgets(), ...worker.dashboardWidgets()] },
    ],
    dashboardName: 'shop-health',
    alarmAction,
  });

  const metric = new cloudwatch.Metric({ namespace: 'Test', metricName: 'Value' });
  const manyAlarms = Array.from({ length: 2 * MAX_ALARMS_PER_RULE + 20 }, (_, index) =>
    metric.createAlarm(stack, `Many${index}`, { threshold: 1, evaluationPeriods: 1 }),
  );
  const many = new HealthDashboard(stack, 'Many', { alarms: manyAlarms, rows: [], compositeAlarmName: 'Shop-many-health' });
  let template: Template;

  /** Logical IDs of the alarms an AlarmRule names, in order, from its `Fn::GetAtt [id, 'Arn']` references. */
  const alarmsNamedBy = (rule: unknown): string[] => {
    const found: string[] = [];
    const walk = (node: unknown): void => {
      if (Array.isArray(node)) node.forEach(walk);
      else if (typeof node === 'object' && node !== null) {
        const getAtt = (node as Record<string, unknown>)['Fn::GetAtt'];
        if (Array.isArray(getAtt) && getAtt[1] === 'Arn') found.push(getAtt[0] as string);
        else Object.values(node).forEach(walk);
      }
    };
    walk(rule);
    return found;
  };
  /** The dashboard body with every reference replaced by `<Id>` or `<Id.Attribute>`, parsed. */
  const widgetsOf = (dashboard: HealthDashboard): RenderedWidget[] => {
    const body = propertiesOf(template, dashboard.dashboard).DashboardBody as unknown;
    const text = (node: unknown): string => {
      if (typeof node === 'string') return node;
      const value = node as Record<string, unknown>;
      if ('Fn::Join' in value) {
        const [delimiter, parts] = value['Fn::Join'] as [string, unknown[]];
        return parts.map(text).join(delimiter);
      }
      if ('Ref' in value) return `<${String(value.Ref)}>`;
      if ('Fn::GetAtt' in value) return `<${(value['Fn::GetAtt'] as string[]).join('.')}>`;
      throw new Error(`unexpected token in the dashboard body: ${JSON.stringify(node)}`);
    };
    return (JSON.parse(text(body)) as { widgets: RenderedWidget[] }).widgets;
  };

  beforeAll(() => {
    template = Template.fromStack(stack);
  });

  describe('composite alarm', () => {
    it('is in ALARM while any given alarm is, naming each alarm once', () => {
      // Prepare
      const expected = [...Object.values(api.alarms), ...Object.values(fn.alarms), ...Object.values(worker.alarms)].map(logicalId);

      // Act
      const rule = propertiesOf(template, health.compositeAlarm).AlarmRule;

      // Assess
      expect(alarmsNamedBy(rule)).toEqual(expected);
      expect(JSON.stringify(rule).match(/ALARM\(/g)).toHaveLength(expected.length);
      expect(JSON.stringify(rule).match(/ OR /g)).toHaveLength(expected.length - 1);
      expect(health.partAlarms).toEqual([]);
    });

    it('notifies alarmAction and says what it watches', () => {
      expect(propertiesOf(template, health.compositeAlarm)).toMatchObject({
        AlarmActions: [{ Ref: logicalId(topic) }],
        AlarmDescription: expect.stringMatching(/^Shop health: in ALARM while any of the shop's 9 alarms is/),
      });
    });

    it('has no action unless one is given', () => {
      expect(propertiesOf(template, many.compositeAlarm).AlarmActions).toBeUndefined();
    });

    it(`splits more than ${MAX_ALARMS_PER_RULE} alarms into part alarms, so each rule stays inside CloudWatch's limits`, () => {
      // Act
      const partRules = many.partAlarms.map((part) => propertiesOf(template, part).AlarmRule);

      // Assess: every alarm is in exactly one part, in order, and the top alarm combines the parts.
      expect(partRules.map((rule) => alarmsNamedBy(rule).length)).toEqual([MAX_ALARMS_PER_RULE, MAX_ALARMS_PER_RULE, 20]);
      expect(partRules.flatMap(alarmsNamedBy)).toEqual(manyAlarms.map(logicalId));
      expect(alarmsNamedBy(propertiesOf(template, many.compositeAlarm).AlarmRule)).toEqual(many.partAlarms.map(logicalId));
      for (const part of many.partAlarms) expect(propertiesOf(template, part).AlarmActions).toBeUndefined();
    });

    it('is named compositeAlarmName, and its parts after it, so a topic policy can admit them by name', () => {
      expect(propertiesOf(template, many.compositeAlarm).AlarmName).toBe('Shop-many-health');
      expect(many.partAlarms.map((part) => propertiesOf(template, part).AlarmName)).toEqual([
        'Shop-many-health-part-1',
        'Shop-many-health-part-2',
        'Shop-many-health-part-3',
      ]);
    });

    it('gets a name CDK generates from its path by default', () => {
      expect(propertiesOf(template, health.compositeAlarm).AlarmName).toMatch(/^HealthDashboardTestHealthShopHealth[0-9A-F]{8}$/);
    });
  });

  describe('dashboard', () => {
    it('is named dashboardName', () => {
      expect(propertiesOf(template, health.dashboard).DashboardName).toBe('shop-health');
    });

    it('lets CloudFormation name it by default', () => {
      expect(propertiesOf(template, many.dashboard).DashboardName).toBeUndefined();
    });

    it('starts with a text header beside the state of the composite alarm', () => {
      // Act
      const [header, status] = widgetsOf(health);

      // Assess
      expect(header).toMatchObject({ type: 'text', x: 0, y: 0, width: 18 });
      expect(header.properties.markdown).toMatch(/^# Shop health\n/);
      expect(status).toMatchObject({ type: 'alarm', x: 18, y: 0, width: 6 });
      expect(status.properties.alarms).toEqual([`<${logicalId(health.compositeAlarm)}.Arn>`]);
    });

    it('shows one titled row per entry, latency and congestion side by side', () => {
      // Act
      const rows = widgetsOf(health).slice(2);

      // Assess
      expect(rows.map((widget) => [widget.type, widget.x, widget.width, widget.properties.markdown ?? widget.properties.title])).toEqual([
        ['text', 0, 24, '## Public API'],
        ['metric', 0, 12, 'Api: p99 latency (ms)'],
        ['metric', 12, 12, 'Api: requests'],
        ['text', 0, 24, '## Catalog function'],
        ['metric', 0, 12, 'Catalog: duration (ms)'],
        ['metric', 12, 12, 'Catalog: invocations'],
        ['text', 0, 24, '## Notifications queue'],
        ['metric', 0, 12, 'Catalog: duration (ms)'],
        ['metric', 12, 12, 'Catalog: invocations'],
        ['metric', 0, 12, 'Notifications: age of oldest message (s)'],
        ['metric', 12, 12, 'Notifications: messages'],
      ]);
      const ys = rows.map((widget) => widget.y);
      expect(ys).toEqual([...ys].sort((a, b) => a - b));
      expect(rows[9].y).toBeGreaterThan(rows[8].y);
    });
  });

  describe('sideBySide', () => {
    it('makes two graphs of half the dashboard width each, keeping the props given', () => {
      // Prepare
      const metric = new cloudwatch.Metric({ namespace: 'Test', metricName: 'Value' });

      // Act
      const widgets = sideBySide({ title: 'latency', left: [metric] }, { title: 'congestion', right: [metric] });

      // Assess
      expect(widgets.map((widget) => stack.resolve(widget.toJson()))).toMatchObject([
        [{ type: 'metric', width: 12, properties: { title: 'latency', metrics: [['Test', 'Value']] } }],
        [{ type: 'metric', width: 12, properties: { title: 'congestion', metrics: [['Test', 'Value', { yAxis: 'right' }]] } }],
      ]);
    });
  });

  describe('validation', () => {
    const invalidStack = unbundledStacks();
    const construct = (overrides: Partial<HealthDashboardProps>) => () => {
      const scope = invalidStack();
      const alarm = new cloudwatch.Metric({ namespace: 'Test', metricName: 'Value' }).createAlarm(scope, 'Alarm', {
        threshold: 1,
        evaluationPeriods: 1,
      });
      return new HealthDashboard(scope, 'Health', { alarms: [alarm], rows: [], ...overrides });
    };
    const problemsOf = propsProblemsThrown('HealthDashboard');

    it('rejects an empty list of alarms', () => {
      expect(problemsOf(construct({ alarms: [] }))).toEqual([expect.stringMatching(/^alarms is empty: a health alarm over no alarms could never fire/)]);
    });

    it('rejects a row without a title or without widgets', () => {
      expect(problemsOf(construct({ rows: [{ title: ' ', widgets: [new cloudwatch.TextWidget({ markdown: 'x' })] }, { title: 'Empty', widgets: [] }] }))).toEqual([
        'rows[0].title is empty: name the pattern the row shows.',
        "rows[1] ('Empty') has no widgets: pass the pattern's dashboardWidgets().",
      ]);
    });

    it.each([
      ['an empty name', ''],
      ['a space', 'shop health'],
      ['256 characters', 'a'.repeat(256)],
    ])('rejects a dashboard name with %s', (_, dashboardName) => {
      expect(problemsOf(construct({ dashboardName }))).toEqual([expect.stringMatching(/^dashboardName is '.*': use 1 to 255 letters/)]);
    });

    it.each([
      ['an empty name', ''],
      ['a double quote, which the alarm rule uses to quote names', 'shop "health"'],
      ['a control character', 'shop\nhealth'],
      ['241 characters, which leaves no room for the parts', 'a'.repeat(241)],
    ])('rejects a composite alarm name with %s', (_, compositeAlarmName) => {
      expect(problemsOf(construct({ compositeAlarmName }))).toEqual([expect.stringMatching(/^compositeAlarmName is '.*': use 1 to 240 printable ASCII/s)]);
    });

    it('reports every problem in one error naming the construct', () => {
      expect(construct({ alarms: [], dashboardName: 'a b' })).toThrow(/^Invalid HealthDashboard props at Invalid\d+\/Health:\n- alarms is empty.*\n- dashboardName /);
    });
  });

  describe('cdk-nag', () => {
    it('leaves no unacknowledged AwsSolutions finding on the dashboards and their alarms', () => {
      for (const dashboard of [health, many]) expect(nagFindings(dashboard)).toEqual([]);
    });
  });
});
