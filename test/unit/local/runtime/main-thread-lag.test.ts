import { type DelayHistogram, MainThreadLag } from '../../../../local/runtime/main-thread-lag';

/** A histogram whose largest delay the test sets (in ms), and which counts its resets. */
class FakeHistogram implements DelayHistogram {
  max = 0;
  resets = 0;
  enabled = false;

  delay(ms: number): void {
    this.max = ms * 1e6;
  }

  reset(): void {
    this.max = 0;
    this.resets++;
  }

  enable(): boolean {
    this.enabled = true;
    return true;
  }

  disable(): boolean {
    this.enabled = false;
    return true;
  }
}

describe('MainThreadLag', () => {
  it('lags after an interval whose longest delay is over the threshold, and no longer after one under it', () => {
    // Prepare
    const histogram = new FakeHistogram();
    const lag = new MainThreadLag({ thresholdMs: 20, histogram });

    // Act and Assess
    histogram.delay(35);
    lag.read();
    expect(lag.busy).toBe(true);
    histogram.delay(20);
    lag.read();
    expect(lag.busy).toBe(false);
  });

  it('starts each interval afresh: a delay is counted in one interval only', () => {
    // Prepare
    const histogram = new FakeHistogram();
    const lag = new MainThreadLag({ thresholdMs: 20, histogram });
    histogram.delay(50);

    // Act
    lag.read();
    lag.read();

    // Assess
    expect(histogram.resets).toBe(2);
    expect(lag.busy).toBe(false);
    expect(lag.lagShare).toBe(0.5);
  });

  it('tells its subscribers when it starts and stops lagging, not at every interval', () => {
    // Prepare
    const histogram = new FakeHistogram();
    const lag = new MainThreadLag({ thresholdMs: 20, histogram });
    const seen: boolean[] = [];
    const unsubscribe = lag.subscribe(() => seen.push(lag.busy));

    // Act
    for (const ms of [5, 30, 40, 10, 10]) {
      histogram.delay(ms);
      lag.read();
    }
    unsubscribe();
    histogram.delay(30);
    lag.read();

    // Assess
    expect(seen).toEqual([true, false]);
  });

  it('records while started, and no longer lags once stopped', () => {
    // Prepare
    const histogram = new FakeHistogram();
    const lag = new MainThreadLag({ thresholdMs: 20, histogram });
    lag.start();
    const enabledWhileStarted = histogram.enabled;
    histogram.delay(30);
    lag.read();

    // Act
    lag.stop();

    // Assess
    expect(enabledWhileStarted).toBe(true);
    expect(histogram.enabled).toBe(false);
    expect(lag.busy).toBe(false);
  });
});
