import { InvalidTimeScaleError, TimeScale } from '../../../../local/shared/time-scale';

describe('TimeScale', () => {
  it('rejects a factor that is not a positive, finite number', () => {
    for (const factor of [0, -1, Number.NaN, Number.POSITIVE_INFINITY]) expect(() => new TimeScale(factor)).toThrow(InvalidTimeScaleError);
  });

  it('scales waits in milliseconds without rounding', () => {
    expect(new TimeScale(0.05).ms(100)).toBeCloseTo(5);
    expect(new TimeScale(0.05).ms(2_000)).toBeCloseTo(100);
  });

  it('rounds a queue attribute to whole seconds, keeping at least 1 s unless it was 0', () => {
    // Prepare
    const scale = new TimeScale(0.05);

    // Assess
    expect(scale.queueSeconds('VisibilityTimeout', 18)).toBe(1);
    expect(scale.queueSeconds('VisibilityTimeout', 30)).toBe(2);
    expect(scale.queueSeconds('VisibilityTimeout', 60)).toBe(3);
    expect(scale.queueSeconds('VisibilityTimeout', 1)).toBe(1);
    expect(scale.queueSeconds('DelaySeconds', 0)).toBe(0);
    expect(scale.queueSeconds('ReceiveMessageWaitTimeSeconds', 20)).toBe(1);
  });

  it('keeps a slowed-down queue attribute within what SQS accepts', () => {
    expect(new TimeScale(10).queueSeconds('ReceiveMessageWaitTimeSeconds', 20)).toBe(20);
    expect(new TimeScale(10).queueSeconds('DelaySeconds', 300)).toBe(900);
  });

  it('rounds a message visibility or delay to the millisecond, keeping at least 1 ms unless it was 0', () => {
    // Prepare
    const scale = new TimeScale(0.05);

    // Assess
    expect(scale.messageSeconds('VisibilityTimeout', 18)).toBe(0.9);
    expect(scale.messageSeconds('VisibilityTimeout', 0)).toBe(0);
    expect(scale.messageSeconds('DelaySeconds', 0.01)).toBe(0.001);
    expect(new TimeScale(0.0001).messageSeconds('VisibilityTimeout', 1)).toBe(0.001);
  });

  it('changes nothing at real time', () => {
    expect(TimeScale.REAL_TIME.isRealTime).toBe(true);
    expect(TimeScale.REAL_TIME.queueSeconds('VisibilityTimeout', 18)).toBe(18);
    expect(TimeScale.REAL_TIME.messageSeconds('DelaySeconds', 5)).toBe(5);
  });
});
