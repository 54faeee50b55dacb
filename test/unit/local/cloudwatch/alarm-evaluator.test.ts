import {
  AlarmEvaluator,
  AlarmNotFoundError,
  CompositeAlarmCycleError,
  type AlarmStateChange,
} from '../../../../local/cloudwatch/alarm-evaluator';
import type { AlarmModel, CompositeAlarmDefinition } from '../../../../local/cloudwatch/alarm-model';
import { parseAlarmRule } from '../../../../local/cloudwatch/composite-rule';
import { MetricStore } from '../../../../local/cloudwatch/metric-store';
import { TimeScale } from '../../../../local/shared/time-scale';
import { ALARM_ARN_PREFIX, alarmModelOf, compositeAlarm, errorRateAlarm, metricAlarm } from './alarm-template';

const T0 = Date.UTC(2026, 10, 21, 23, 10, 0);
const ERRORS = { namespace: 'AWS/Lambda', metricName: 'Errors', dimensions: { FunctionName: 'shop-place-order' } };
const API = { ApiName: 'HybridShop-public', Stage: 'prod' };

/** An evaluator at time scale 0.01 (Period 300 → 3 s windows) over a store, both on a clock the test moves. */
function harness(model: AlarmModel, options: { timeScale?: number } = {}) {
  const clock = { now: T0 };
  const store = new MetricStore({ clock: () => clock.now });
  const errors: string[] = [];
  const evaluator = new AlarmEvaluator({
    alarms: model,
    store,
    timeScale: new TimeScale(options.timeScale ?? 0.01),
    clock: () => clock.now,
    onError: (message) => errors.push(message),
  });
  const changes: AlarmStateChange[] = [];
  evaluator.onStateChange((change) => changes.push(change));
  const advance = (ms: number) => {
    clock.now += ms;
  };
  return { clock, store, evaluator, changes, errors, advance };
}

describe('AlarmEvaluator: metric alarms', () => {
  it('starts every alarm INSUFFICIENT_DATA, unchecked', () => {
    // Act
    const { evaluator } = harness(alarmModelOf({ Errors: metricAlarm() }));

    // Assess
    expect(evaluator.describe().map((status) => [status.alarm.name, status.state, status.reason])).toEqual([
      ['HybridShop-Errors', 'INSUFFICIENT_DATA', 'Unchecked: Initial alarm creation'],
    ]);
  });

  it('turns ALARM at the next evaluation after a breaching value, and OK one scaled period later (notBreaching)', () => {
    // Prepare
    const { store, evaluator, changes, advance, clock } = harness(alarmModelOf({ Errors: metricAlarm() }));
    evaluator.evaluateNow();
    advance(1_000);

    // Act
    store.put({ ...ERRORS, value: 1, unit: 'Count' });
    advance(evaluator.evaluationIntervalMs);
    evaluator.evaluateNow();
    const alarmedAt = clock.now;
    advance(2_000);
    evaluator.evaluateNow();
    advance(1_100);
    evaluator.evaluateNow();

    // Assess
    expect(evaluator.evaluationIntervalMs).toBe(600);
    expect(changes.map((change) => [change.from, change.to, change.timestamp - T0])).toEqual([
      ['INSUFFICIENT_DATA', 'OK', 0],
      ['OK', 'ALARM', alarmedAt - T0],
      ['ALARM', 'OK', alarmedAt - T0 + 3_100],
    ]);
    // The datapoint is the window that ends at the evaluation: it starts one scaled period (3 s) earlier.
    expect(changes[1]).toEqual({
      name: 'HybridShop-Errors',
      arn: `${ALARM_ARN_PREFIX}HybridShop-Errors`,
      kind: 'metric',
      from: 'OK',
      to: 'ALARM',
      reason: 'Threshold Crossed: 1 datapoint [1.0 (21/11/26 23:09:58)] was greater than or equal to the threshold (1.0).',
      reasonData: expect.stringContaining('"recentDatapoints":[1]'),
      timestamp: alarmedAt,
      actions: ['arn:aws:sns:us-east-1:000000000000:HybridShop-Topic'],
      description: 'errors',
    });
  });

  it('stays ALARM while values keep breaching across window boundaries', () => {
    // Prepare
    const { store, evaluator, changes, advance } = harness(alarmModelOf({ Errors: metricAlarm() }));

    // Act: one error every second for 20 s, evaluated every 600 ms.
    for (let ms = 0; ms < 20_000; ms += 200) {
      if (ms % 1_000 === 0) store.put({ ...ERRORS, value: 1 });
      advance(200);
      if (ms % 600 === 0) evaluator.evaluateNow();
    }

    // Assess
    expect(changes.map((change) => change.to)).toEqual(['ALARM']);
  });

  it('needs DatapointsToAlarm of the last EvaluationPeriods windows to breach', () => {
    // Prepare
    const { store, evaluator, advance } = harness(alarmModelOf({ Errors: metricAlarm({ EvaluationPeriods: 3, DatapointsToAlarm: 2, TreatMissingData: 'missing' }) }));
    const state = () => evaluator.describe()[0].state;

    // Act / Assess
    store.put({ ...ERRORS, value: 1 });
    advance(100);
    evaluator.evaluateNow();
    expect(state()).toBe('ALARM'); // one datapoint present, and it breaches: TreatMissingData missing judges it alone
    advance(3_000);
    store.put({ ...ERRORS, value: 0 });
    advance(100);
    evaluator.evaluateNow();
    expect(state()).toBe('OK'); // 1 of 2 present breach, and 2 are needed of min(2, 2)
    advance(3_000);
    store.put({ ...ERRORS, value: 5 });
    advance(100);
    evaluator.evaluateNow();
    expect(state()).toBe('ALARM'); // X 0 X
    advance(9_000);
    evaluator.evaluateNow();
    expect(state()).toBe('INSUFFICIENT_DATA');
  });

  it('evaluates a metric-math alarm per window: 5XX as a percentage of requests', () => {
    // Prepare
    const { store, evaluator } = harness(alarmModelOf({ Rate: errorRateAlarm() }));
    const put = (metricName: string, value: number) => store.put({ namespace: 'AWS/ApiGateway', metricName, dimensions: API, value, timestamp: T0 - 10 });

    // Act
    for (let i = 0; i < 99; i++) put('Count', 1);
    put('5XXError', 0);
    const calm = evaluator.evaluateNow();
    put('Count', 1);
    put('5XXError', 1);
    const alarmed = evaluator.evaluateNow();

    // Assess
    expect(calm.map((change) => change.to)).toEqual(['OK']);
    expect(alarmed.map((change) => change.to)).toEqual(['ALARM']);
    expect(alarmed[0].reason).toBe('Threshold Crossed: 1 datapoint [1.0 (21/11/26 23:09:57)] was greater than or equal to the threshold (1.0).');
  });

  it('reports no action when ActionsEnabled is false, and the OK actions on OK', () => {
    // Prepare
    const { evaluator, changes } = harness(
      alarmModelOf({
        Quiet: metricAlarm({ ActionsEnabled: false }),
        Loud: metricAlarm({ OKActions: [{ Ref: 'Topic' }] }),
      }),
    );

    // Act
    evaluator.evaluateNow();

    // Assess
    expect(changes.map((change) => [change.name, change.actions])).toEqual([
      ['HybridShop-Quiet', []],
      ['HybridShop-Loud', ['arn:aws:sns:us-east-1:000000000000:HybridShop-Topic']],
    ]);
  });

  it('keeps an alarm it cannot evaluate INSUFFICIENT_DATA, saying why', () => {
    // Prepare
    const { evaluator, changes } = harness(alarmModelOf({ Band: metricAlarm({ ComparisonOperator: 'GreaterThanUpperThreshold' }) }));

    // Act
    evaluator.evaluateNow();

    // Assess
    expect(changes).toEqual([]);
    expect(evaluator.status('HybridShop-Band')).toMatchObject({ state: 'INSUFFICIENT_DATA', reason: expect.stringMatching(/^Not evaluated locally: .*anomaly detection/) });
  });
});

describe('AlarmEvaluator: composite alarms', () => {
  const model = () =>
    alarmModelOf({
      Errors: metricAlarm(),
      Throttles: metricAlarm({ MetricName: 'Throttles' }),
      Part: compositeAlarm('part', ['Errors', 'Throttles']),
      Top: compositeAlarm('top', ['Part']),
    });

  it('follows its parts in the same evaluation, nested composites in dependency order', () => {
    // Prepare
    const { store, evaluator, changes } = harness(model());
    evaluator.evaluateNow();
    changes.length = 0;

    // Act
    store.put({ ...ERRORS, value: 3, timestamp: T0 - 1 });
    evaluator.evaluateNow();

    // Assess
    expect(changes.map((change) => [change.name, change.kind, change.to])).toEqual([
      ['HybridShop-Errors', 'metric', 'ALARM'],
      ['part', 'composite', 'ALARM'],
      ['top', 'composite', 'ALARM'],
    ]);
    expect(changes[1].reason).toBe(`${ALARM_ARN_PREFIX}HybridShop-Errors transitioned to ALARM at Saturday 21 November, 2026 23:10:00 UTC`);
    expect(JSON.parse(changes[1].reasonData!)).toEqual({
      triggeringAlarms: [{ arn: `${ALARM_ARN_PREFIX}HybridShop-Errors`, state: { value: 'ALARM', timestamp: '2026-11-21T23:10:00.000+0000' } }],
    });
  });

  it('lets SetAlarmState hold until the next evaluation, composites following at once', () => {
    // Prepare
    const { evaluator, changes } = harness(model());
    evaluator.evaluateNow();
    changes.length = 0;

    // Act
    evaluator.setAlarmState('HybridShop-Throttles', 'ALARM', 'testing the pager');
    const afterSet = changes.map((change) => [change.name, change.to]);
    const held = evaluator.status('HybridShop-Throttles');
    evaluator.evaluateNow();

    // Assess
    expect(afterSet).toEqual([
      ['HybridShop-Throttles', 'ALARM'],
      ['part', 'ALARM'],
      ['top', 'ALARM'],
    ]);
    expect(held).toMatchObject({ state: 'ALARM', reason: 'testing the pager' });
    expect(evaluator.status('HybridShop-Throttles')?.state).toBe('OK');
    expect(evaluator.status('top')?.state).toBe('OK');
  });

  it('rejects SetAlarmState on an alarm that does not exist', () => {
    const { evaluator } = harness(model());
    expect(() => evaluator.setAlarmState('nope', 'ALARM', 'x')).toThrow(AlarmNotFoundError);
  });

  it('refuses composites that depend on each other in a cycle', () => {
    // Prepare
    const composite = (name: string, rule: string): CompositeAlarmDefinition => ({
      kind: 'composite',
      name,
      arn: `${ALARM_ARN_PREFIX}${name}`,
      actionsEnabled: true,
      alarmActions: [],
      okActions: [],
      insufficientDataActions: [],
      alarmRule: rule,
      rule: parseAlarmRule(rule),
    });

    // Act / Assess
    expect(
      () => new AlarmEvaluator({ alarms: { metricAlarms: [], compositeAlarms: [composite('a', 'ALARM(b)'), composite('b', 'ALARM(a)')] }, store: new MetricStore() }),
    ).toThrow(CompositeAlarmCycleError);
  });
});

describe('AlarmEvaluator: running', () => {
  afterEach(() => jest.useRealTimers());

  it('evaluates every interval between start and stop', () => {
    // Prepare
    jest.useFakeTimers();
    const { store, evaluator, changes, clock } = harness(alarmModelOf({ Errors: metricAlarm() }));
    evaluator.start();

    // Act
    clock.now += 600;
    jest.advanceTimersByTime(600);
    store.put({ ...ERRORS, value: 1 });
    clock.now += 600;
    jest.advanceTimersByTime(600);
    evaluator.stop();
    clock.now += 10_000;
    jest.advanceTimersByTime(10_000);

    // Assess
    expect(changes.map((change) => change.to)).toEqual(['OK', 'ALARM']);
  });

  it('keeps telling the other listeners when one throws', () => {
    // Prepare
    const { evaluator, errors, changes } = harness(alarmModelOf({ Errors: metricAlarm() }));
    evaluator.onStateChange(() => {
      throw new Error('pager down');
    });
    const stop = evaluator.onStateChange(() => undefined);
    stop();

    // Act
    evaluator.evaluateNow();

    // Assess
    expect(changes).toHaveLength(1);
    expect(errors).toEqual(['a listener of alarm HybridShop-Errors failed: pager down']);
  });

  it('scales the evaluation interval with the time scale, as CloudWatch evaluates every minute', () => {
    expect(harness(alarmModelOf({}), { timeScale: 1 }).evaluator.evaluationIntervalMs).toBe(60_000);
    expect(harness(alarmModelOf({}), { timeScale: 0.0001 }).evaluator.evaluationIntervalMs).toBe(50);
  });
});
