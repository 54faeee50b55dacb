import { drainRate, spikeTimeline } from '../../../../bench/support/spike-figures';

describe('drainRate', () => {
  it('takes the slope between the 10th and 90th percentile of the final times, whatever order they came in', () => {
    // Prepare: 100 orders final one every 100 ms (10/s), after a slow start and before a straggler
    const steady = Array.from({ length: 100 }, (_, i) => 10_000 + i * 100);
    const times = [...steady.slice(0, 5).map((t) => t - 3_000), ...steady.slice(5, 95), ...steady.slice(95).map((t) => t + 20_000)].reverse();

    // Act / Assess
    expect(drainRate(times)).toBeCloseTo(10, 5);
  });

  it('is NaN with fewer than 10 orders, or all at once', () => {
    expect(drainRate([1, 2, 3])).toBeNaN();
    expect(drainRate(Array.from({ length: 20 }, () => 5))).toBeNaN();
  });
});

describe('spikeTimeline', () => {
  it('counts per second the orders sent by kind, taken and final, and the backlog taken but not final', () => {
    // Prepare: second 0: two async taken, one final in second 2; second 1: a sync shed (not taken), an async final in second 1
    const orders = [
      { dueAt: 1_000, kind: 'async', takenAt: 1_010, finalAt: 3_500 },
      { dueAt: 1_500, kind: 'async', takenAt: 1_520 },
      { dueAt: 2_000, kind: 'sync' },
      { dueAt: 2_100, kind: 'async', takenAt: 2_120, finalAt: 2_900 },
    ];

    // Act
    const timeline = spikeTimeline(orders, 1_000);

    // Assess
    expect(timeline).toEqual([
      { seconds: 0, sent: { async: 2, sync: 0 }, taken: 2, final: 0, backlog: 2 },
      { seconds: 1, sent: { async: 1, sync: 1 }, taken: 1, final: 1, backlog: 2 },
      { seconds: 2, sent: { async: 0, sync: 0 }, taken: 0, final: 1, backlog: 1 },
    ]);
  });
});
