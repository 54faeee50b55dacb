import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import { Construct } from 'constructs';
import { PropsError } from './problems-error';

/** One row of the dashboard: a pattern's widgets, typically its latency and its congestion side by side. */
export interface HealthDashboardRow {
  /** Shown above the row, e.g. 'Payments queue'. */
  readonly title: string;
  /**
   * The row's widgets, left to right, e.g. a pattern's `dashboardWidgets()`; past the dashboard's 24 units of width they
   * wrap onto the next line of the same row.
   */
  readonly widgets: readonly cloudwatch.IWidget[];
}

export interface HealthDashboardProps {
  /** Every alarm that makes the shop unhealthy; the composite alarm is in ALARM while any of them is. */
  readonly alarms: readonly cloudwatch.IAlarm[];
  /** The dashboard's rows, top to bottom, under a header that shows the composite alarm. */
  readonly rows: readonly HealthDashboardRow[];
  /**
   * Name of the dashboard.
   *
   * @default - a name CloudFormation generates
   */
  readonly dashboardName?: string;
  /**
   * Name of the composite "shop health" alarm; its part alarms, if any, are named `<name>-part-<n>`. Name it after the
   * stack (`${stackName}-…`) so an alarm topic's policy can admit exactly the stack's alarms by name.
   *
   * @default - a name CDK generates from the construct path
   */
  readonly compositeAlarmName?: string;
  /**
   * Where the composite "shop health" alarm goes.
   *
   * @default - the composite alarm is created with no action
   */
  readonly alarmAction?: cloudwatch.IAlarmAction;
}

/**
 * Alarms one composite rule names at most. CloudWatch allows 100 alarms and 10,240 characters per rule; each
 * `ALARM("arn:…:alarm:<generated name>")` takes up to ~160 characters, so 50 keep a rule well inside both limits.
 */
export const MAX_ALARMS_PER_RULE = 50;
const DASHBOARD_NAME = /^[A-Za-z0-9_-]{1,255}$/;
/** Printable ASCII, no quotes (the alarm rule quotes names); room left for a `-part-<n>` suffix. */
const ALARM_NAME = /^[\x20-\x21\x23-\x7E]{1,240}$/;
const DASHBOARD_WIDTH = 24;

/**
 * A pattern's widgets for its dashboard row: two graphs side by side, each half the dashboard's width; by convention
 * its latency on the left and its congestion on the right.
 */
export function sideBySide(left: cloudwatch.GraphWidgetProps, right: cloudwatch.GraphWidgetProps): cloudwatch.IWidget[] {
  return [left, right].map((props) => new cloudwatch.GraphWidget({ ...props, width: DASHBOARD_WIDTH / 2 }));
}

/**
 * One place to see whether the shop is healthy: a composite "shop health" alarm that is in ALARM while any given alarm
 * is (split into part alarms above 50 alarms, to stay inside CloudWatch's rule limits), and a dashboard with a header
 * showing that alarm and one titled row per pattern.
 */
export class HealthDashboard extends Construct {
  /** "Shop health": in ALARM while any of the given alarms is; the only alarm that needs to page. */
  public readonly compositeAlarm: cloudwatch.CompositeAlarm;
  /** The part alarms the composite alarm combines when there are more than 50 alarms; empty otherwise. */
  public readonly partAlarms: readonly cloudwatch.CompositeAlarm[];
  public readonly dashboard: cloudwatch.Dashboard;

  public constructor(scope: Construct, id: string, props: HealthDashboardProps) {
    super(scope, id);
    validate(this.node.path, props);
    const alarms = [...new Set(props.alarms)];
    const anyOf = (members: readonly cloudwatch.IAlarm[]): cloudwatch.IAlarmRule =>
      cloudwatch.AlarmRule.anyOf(...members.map((alarm) => cloudwatch.AlarmRule.fromAlarm(alarm, cloudwatch.AlarmState.ALARM)));

    const parts: cloudwatch.CompositeAlarm[] = [];
    if (alarms.length > MAX_ALARMS_PER_RULE) {
      const group = new Construct(this, 'Parts');
      for (let start = 0; start < alarms.length; start += MAX_ALARMS_PER_RULE) {
        const members = alarms.slice(start, start + MAX_ALARMS_PER_RULE);
        const number = parts.length + 1;
        parts.push(
          new cloudwatch.CompositeAlarm(group, `Part${number}`, {
            compositeAlarmName: props.compositeAlarmName === undefined ? undefined : `${props.compositeAlarmName}-part-${number}`,
            alarmRule: anyOf(members),
            alarmDescription: `Shop health, part ${number}: in ALARM while any of its ${members.length} alarms is.`,
          }),
        );
      }
    }
    this.partAlarms = parts;
    this.compositeAlarm = new cloudwatch.CompositeAlarm(this, 'ShopHealth', {
      compositeAlarmName: props.compositeAlarmName,
      alarmRule: anyOf(parts.length > 0 ? parts : alarms),
      alarmDescription: `Shop health: in ALARM while any of the shop's ${alarms.length} alarms is; its dashboard shows which.`,
    });
    if (props.alarmAction) this.compositeAlarm.addAlarmAction(props.alarmAction);

    this.dashboard = new cloudwatch.Dashboard(this, 'Dashboard', { dashboardName: props.dashboardName });
    this.dashboard.addWidgets(
      new cloudwatch.TextWidget({
        markdown:
          '# Shop health\n' +
          'One row per pattern: latency on the left, congestion on the right. The alarm beside this text is in ALARM ' +
          'while any pattern alarm is.',
        width: DASHBOARD_WIDTH - 6,
        height: 3,
      }),
      new cloudwatch.AlarmStatusWidget({ title: 'Shop health', alarms: [this.compositeAlarm], width: 6, height: 3 }),
    );
    for (const row of props.rows) {
      this.dashboard.addWidgets(new cloudwatch.TextWidget({ markdown: `## ${row.title}`, width: DASHBOARD_WIDTH, height: 1 }));
      this.dashboard.addWidgets(...row.widgets);
    }
  }
}

function validate(constructPath: string, props: HealthDashboardProps): void {
  const problems: string[] = [];
  if (props.alarms.length === 0) {
    problems.push('alarms is empty: a health alarm over no alarms could never fire; pass every pattern alarm.');
  }
  props.rows.forEach((row, index) => {
    if (row.title.trim() === '') problems.push(`rows[${index}].title is empty: name the pattern the row shows.`);
    if (row.widgets.length === 0) problems.push(`rows[${index}] ('${row.title}') has no widgets: pass the pattern's dashboardWidgets().`);
  });
  const name = props.dashboardName;
  if (name !== undefined && !DASHBOARD_NAME.test(name)) {
    problems.push(`dashboardName is '${name}': use 1 to 255 letters, digits, '-' or '_'.`);
  }
  const alarmName = props.compositeAlarmName;
  if (alarmName !== undefined && !ALARM_NAME.test(alarmName)) {
    problems.push(`compositeAlarmName is '${alarmName}': use 1 to 240 printable ASCII characters without '"', e.g. 'HybridShop-health'.`);
  }
  if (problems.length > 0) throw new PropsError('HealthDashboard', constructPath, problems);
}
