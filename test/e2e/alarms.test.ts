/**
 * The template's alarms, evaluated by the local runtime's CloudWatch against the metrics AWS would publish: each
 * fault turns its alarm to ALARM, the shop-health composite follows, and both return to OK after recovery.
 *
 * At a time scale of 0.01 a five-minute period lasts 3 s, and ages (the oldest message's, the iterator's) count 100
 * times faster, so a 300 s queue-age threshold is crossed after 3 real seconds. Latencies stay real: a 2.5 s slow
 * inventory is 2.5 s. Local only: on AWS these alarms need their real five-minute periods.
 */
import { CloudWatchClient, DescribeAlarmsCommand, type MetricAlarm } from '@aws-sdk/client-cloudwatch';
import { redrive } from '../../bin/redrive';
import { eventually, useLocalShop } from './support/local-shop';

const TIME_SCALE = 0.01;
const localShop = useLocalShop({ timeScale: TIME_SCALE });

let cloudWatch: CloudWatchClient;
beforeAll(() => {
  const { runtime } = localShop();
  cloudWatch = new CloudWatchClient({ region: 'us-east-1', endpoint: runtime.edgeUrl, credentials: runtime.credentials });
});
afterAll(() => cloudWatch.destroy());

async function metricAlarms(): Promise<MetricAlarm[]> {
  const alarms: MetricAlarm[] = [];
  let NextToken: string | undefined;
  do {
    const page = await cloudWatch.send(new DescribeAlarmsCommand({ AlarmTypes: ['MetricAlarm'], NextToken }));
    alarms.push(...(page.MetricAlarms ?? []));
    NextToken = page.NextToken;
  } while (NextToken);
  return alarms;
}

/** The one metric alarm on `metricName` whose dimensions include `dimension` = `value` (by DescribeAlarms). */
async function alarmOn(metricName: string, dimension: string, value: (v: string) => boolean): Promise<string> {
  const found = (await metricAlarms()).filter(
    (a) => a.MetricName === metricName && (a.Dimensions ?? []).some((d) => d.Name === dimension && value(d.Value ?? '')),
  );
  if (found.length !== 1) throw new Error(`expected one ${metricName} alarm on ${dimension}, found ${found.map((a) => a.AlarmName).join(', ') || 'none'}`);
  return String(found[0].AlarmName);
}

async function stateOf(alarmName: string): Promise<{ state: string; reason: string }> {
  const out = await cloudWatch.send(new DescribeAlarmsCommand({ AlarmNames: [alarmName], AlarmTypes: ['MetricAlarm', 'CompositeAlarm'] }));
  const alarm = out.MetricAlarms?.[0] ?? out.CompositeAlarms?.[0];
  if (!alarm) throw new Error(`DescribeAlarms does not know ${alarmName}`);
  return { state: String(alarm.StateValue), reason: String(alarm.StateReason ?? '') };
}

const reaches = (alarmName: string, state: 'ALARM' | 'OK', timeoutMs = 20_000) =>
  eventually(
    async () => {
      const current = await stateOf(alarmName);
      return current.state === state ? current : undefined;
    },
    { timeoutMs, intervalMs: 200, what: `${alarmName} to reach ${state}` },
  );

const shopHealth = () => localShop().runtime.outputs.ShopHealthAlarmName;

/** The metric alarm on `metricName` of the template's queue `queueLogicalId`. */
async function queueAlarm(metricName: string, queueLogicalId: string): Promise<string> {
  const queueName = localShop().runtime.queueUrl(queueLogicalId).split('/').pop() ?? '';
  return alarmOn(metricName, 'QueueName', (v) => v === queueName);
}

/** `alarmName` and the shop-health composite above it reach `state`; the composite may take longer to recover. */
async function bothReach(alarmName: string, state: 'ALARM' | 'OK', alarmTimeoutMs?: number): Promise<void> {
  await reaches(alarmName, state, alarmTimeoutMs);
  await reaches(shopHealth(), state, state === 'OK' ? 30_000 : undefined);
}
const alarmLines = () => localShop().logs.filter((line) => line.startsWith('⏰'));

describe('alarms on the local runtime', () => {
  beforeEach(async () => {
    // Every test starts from a healthy shop: the composite is OK once every alarm under it is.
    await reaches(shopHealth(), 'OK', 30_000);
  }, 40_000);

  it('turns the internal API latency alarm to ALARM while inventory is slow, and back to OK after; the composite follows', async () => {
    // Prepare
    const shop = localShop();
    const internalApi = String(shop.runtime.apis.find((api) => api.name.endsWith('-internal'))?.name);
    const latencyAlarm = await alarmOn('Latency', 'ApiName', (v) => v === internalApi);

    // Act 1: inventory answers in 2.5 s (p99 threshold 2,000 ms), and stays slow while orders keep coming, until the
    // alarm has seen it in 3 of its last 5 periods (3 s each at this time scale): one slow period does not page. Each
    // order gives up on inventory after its 1 s timeout (and the breaker, once open, lets a probe through every 5 s).
    shop.runtime.setFault('InventoryCreateReservation', { delayMs: 2_500 });
    const statuses: number[] = [];
    const alarmed = await eventually(
      async () => {
        statuses.push((await shop.placeOrder({ lines: [{ sku: 'SKU-0041', quantity: 1 }] })).status);
        const current = await stateOf(latencyAlarm);
        return current.state === 'ALARM' ? current : undefined;
      },
      { timeoutMs: 45_000, intervalMs: 100, what: `${latencyAlarm} to reach ALARM while inventory stays slow` },
    );

    // Assess 1
    await reaches(shopHealth(), 'ALARM');
    expect(new Set(statuses)).toEqual(new Set([503]));
    expect(alarmed.reason).toMatch(/^Threshold Crossed: 3 out of the last 5 datapoints .* greater than or equal to the threshold \(2000(\.0)?\)/);
    expect(alarmLines().some((line) => line.includes(latencyAlarm) && line.includes('ALARM'))).toBe(true);

    // Act 2: inventory recovers, and serves again
    shop.runtime.setFault('InventoryCreateReservation', undefined);
    const after = await eventually(
      async () => {
        const res = await shop.placeOrder({ lines: [{ sku: 'SKU-0041', quantity: 1 }] });
        return res.status === 201 ? res : undefined;
      },
      { timeoutMs: 15_000, intervalMs: 500, what: 'an order to go through again' },
    );

    // Assess 2
    expect(after.status).toBe(201);
    await bothReach(latencyAlarm, 'OK');
  }, 90_000);

  it('turns a queue age alarm to ALARM while its consumer is stopped, and back to OK once it drains', async () => {
    // Prepare
    const shop = localShop();
    const ageAlarm = await queueAlarm('ApproximateAgeOfOldestMessage', 'InventoryReservationsQueue');

    // Act 1: stop the reservation worker, then accept an order asynchronously (its reservation waits in the queue)
    await shop.runtime.setMappingEnabled('InventoryReservationWorkerFunction', false);
    const accepted = await shop.placeOrder({ lines: [{ sku: 'SKU-0042', quantity: 1 }] }, { headers: { prefer: 'respond-async' } });

    // Assess 1: 300 s (scaled) of age → ALARM; the order waits
    expect(accepted.status).toBe(202);
    await bothReach(ageAlarm, 'ALARM');
    expect((await shop.call('GET', `orders/${String(accepted.json.orderId)}`)).json.status).toBe('PENDING');

    // Act 2: start the consumer again
    await shop.runtime.setMappingEnabled('InventoryReservationWorkerFunction', true);

    // Assess 2: nothing was lost; the alarm and the composite recover
    await shop.orderReaches(String(accepted.json.orderId), ['SHIPPED'], 20_000);
    await bothReach(ageAlarm, 'OK');
  }, 90_000);

  it('turns the DLQ alarm to ALARM when poison messages land there, and back to OK once redriven', async () => {
    // Prepare
    const shop = localShop();
    const dlqAlarm = await queueAlarm('ApproximateNumberOfMessagesVisible', 'NotificationsEmailsDeadLetterQueue');

    // Act 1: every e-mail fails, so each order's e-mail messages end in the DLQ
    shop.runtime.setFault('NotificationsNotificationWorker', { error: true });
    const placed = await shop.placeOrder({ lines: [{ sku: 'SKU-0043', quantity: 1 }] });

    // Assess 1
    expect(placed.status).toBe(201);
    await bothReach(dlqAlarm, 'ALARM', 30_000);
    // Every e-mail of the order has failed its way to the DLQ: none is still being retried, which would land there
    // after the redrive below and keep the alarm on.
    await shop.orderReaches(String(placed.json.orderId), ['SHIPPED'], 20_000);
    await eventually(async () => ((await shop.queueDepth('NotificationsEmailsQueue')) === 0 ? true : undefined), {
      timeoutMs: 20_000,
      what: 'the e-mail queue to hold no message still being retried',
    });

    // Act 2: fix the worker and redrive
    shop.runtime.setFault('NotificationsNotificationWorker', undefined);
    const result = await redrive({ queue: 'NotificationsEmailsQueue', sqs: shop.sqs, log: () => undefined });

    // Assess 2
    expect(result.status).toBe('COMPLETED');
    await eventually(async () => ((await shop.queueDepth('NotificationsEmailsDeadLetterQueue')) === 0 ? true : undefined), { what: 'an empty DLQ' });
    await bothReach(dlqAlarm, 'OK');
  }, 90_000);
});
