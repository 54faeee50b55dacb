import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { CfnTemplate } from '../../../../local/assembly/cloud-assembly';
import { assignPhysicalIds, IntrinsicResolver } from '../../../../local/assembly/intrinsics';
import { AlarmEvaluator } from '../../../../local/cloudwatch/alarm-evaluator';
import { readAlarms, type AlarmModel } from '../../../../local/cloudwatch/alarm-model';
import { ruleReferences } from '../../../../local/cloudwatch/composite-rule';
import { MetricStore } from '../../../../local/cloudwatch/metric-store';
import { TimeScale } from '../../../../local/shared/time-scale';
import { CONTEXT } from './alarm-template';

const TEMPLATE = join(__dirname, '../../../../cdk.out/HybridShop.template.json');

function shopAlarms(): AlarmModel {
  if (!existsSync(TEMPLATE)) throw new Error(`${TEMPLATE} is missing: run \`npm run synth\` first`);
  const template = JSON.parse(readFileSync(TEMPLATE, 'utf8')) as CfnTemplate;
  const physical = assignPhysicalIds(template, CONTEXT, { edgeUrl: 'http://127.0.0.1:4566' });
  return readAlarms({ template, resolver: new IntrinsicResolver(template, CONTEXT, physical), physical });
}

describe('the alarms of the synthesized shop', () => {
  const model = shopAlarms();

  it('are all evaluable locally: 128 metric alarms and 4 composite alarms, no warnings', () => {
    expect(model.warnings).toEqual([]);
    expect(model.metricAlarms).toHaveLength(128);
    expect(model.compositeAlarms).toHaveLength(4);
    expect([...model.metricAlarms, ...model.compositeAlarms].filter((alarm) => alarm.unsupported !== undefined)).toEqual([]);
  });

  it('have every dimension resolved to a local value and unique names', () => {
    const names = new Set([...model.metricAlarms, ...model.compositeAlarms].map((alarm) => alarm.name));
    expect(names.size).toBe(132);
    for (const alarm of model.metricAlarms) {
      const metrics = alarm.metric !== undefined ? [alarm.metric] : (alarm.queries ?? []).flatMap((query) => (query.metricStat ? [query.metricStat.metric] : []));
      expect(metrics.length).toBeGreaterThan(0);
      for (const metric of metrics) for (const value of Object.values(metric.dimensions)) expect(value).toMatch(/^[\w.-]+$/);
    }
  });

  it('nest the health composites: three parts over the 128 alarms, and the shop health over the parts', () => {
    const byName = new Map(model.compositeAlarms.map((alarm) => [alarm.name, alarm]));
    const top = byName.get('HybridShop/shop-health')!;
    const parts = ruleReferences(top.rule!);
    expect(parts).toHaveLength(3);
    const covered = parts.flatMap((part) => ruleReferences(byName.get(part)!.rule!));
    expect(new Set(covered)).toEqual(new Set(model.metricAlarms.map((alarm) => alarm.name)));
  });

  it('turn the shop health ALARM when a latency alarm breaches in 3 of 5 periods, not on one slow period, and back OK', () => {
    // Prepare
    const period = 3_000; // 300 s at a time scale of 0.01
    let now = Date.UTC(2026, 10, 21, 23, 10, 0);
    const store = new MetricStore({ clock: () => now });
    const evaluator = new AlarmEvaluator({ alarms: model, store, timeScale: new TimeScale(0.01), clock: () => now });
    const latency = model.metricAlarms.find((alarm) => alarm.metric?.metricName === 'Latency')!;
    evaluator.evaluateNow();
    const slowPeriod = () => {
      store.put({ ...latency.metric!, value: 2512, unit: 'Milliseconds', timestamp: now - 100 });
      const changes = evaluator.evaluateNow();
      now += period;
      return changes;
    };

    // Act
    const afterOne = slowPeriod();
    const afterTwo = slowPeriod();
    const afterThree = slowPeriod();
    now += 2 * period; // the oldest slow period leaves the last five
    const calmed = evaluator.evaluateNow();

    // Assess
    expect(latency).toMatchObject({ datapointsToAlarm: 3, evaluationPeriods: 5 });
    expect(afterOne.filter((change) => change.to === 'ALARM')).toEqual([]);
    expect(afterTwo.filter((change) => change.to === 'ALARM')).toEqual([]);
    expect(afterThree.map((change) => [change.name, change.to])).toEqual([
      [latency.name, 'ALARM'],
      ['HybridShop/shop-health-part-1', 'ALARM'],
      ['HybridShop/shop-health', 'ALARM'],
    ]);
    expect(afterThree[0].reason).toBe(
      'Threshold Crossed: 3 out of the last 5 datapoints [2512.0 (21/11/26 23:10:03), 2512.0 (21/11/26 23:10:00), 2512.0 (21/11/26 23:09:57)] ' +
        'were greater than or equal to the threshold (2000.0) (minimum 3 datapoints for OK -> ALARM transition).',
    );
    expect(calmed.map((change) => [change.name, change.to])).toEqual([
      [latency.name, 'OK'],
      ['HybridShop/shop-health-part-1', 'OK'],
      ['HybridShop/shop-health', 'OK'],
    ]);
  });
});
