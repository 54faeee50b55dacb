import { Startup } from '../../../../local/runtime/startup';

/** The largest ApproximateAgeOfOldestMessage `startup` published for queue `name`. */
function publishedAge(startup: Startup, name: string): number {
  const now = Date.now();
  const points = startup.store.query({ namespace: 'AWS/SQS', metricName: 'ApproximateAgeOfOldestMessage', dimensions: { QueueName: name } }, 'Maximum', 60_000, now - 60_000, now + 60_000);
  return Math.max(...points.values);
}

describe('Startup', () => {
  const log = () => undefined;
  beforeEach(() => {
    jest.useFakeTimers({ now: 1_800_000_000_000 });
  });
  afterEach(() => {
    jest.useRealTimers();
  });
  const thirtySecondsOld = (name: string) => ({ name, visible: 1, notVisible: 0, delayed: 0, sent: 0, oldestSentTimestamp: Date.now() - 30_000 });

  it('runs CloudWatch on the runtime time scale unless told otherwise', () => {
    // Act
    const startup = new Startup({ log, timeScale: 0.1 });
    startup.metrics.queues([thirtySecondsOld('Orders')]);

    // Assess: a message 30 s old is 300 s old to the alarms
    expect(startup.alarmTimeScale.factor).toBe(0.1);
    expect(publishedAge(startup, 'Orders')).toBe(300);
  });

  it('scales CloudWatch alone with alarmTimeScale, leaving the runtime time scale (visibility timeouts, backoffs) as it is', () => {
    // Act
    const startup = new Startup({ log, timeScale: 1, alarmTimeScale: 0.05 });
    startup.metrics.queues([thirtySecondsOld('Orders')]);

    // Assess: 30 real seconds are 600 s to the alarms, and the SQS waits stay real time
    expect(startup.timeScale.isRealTime).toBe(true);
    expect(startup.alarmTimeScale.factor).toBe(0.05);
    expect(publishedAge(startup, 'Orders')).toBe(600);
  });
});
