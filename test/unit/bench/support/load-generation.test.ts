import { arrivalOffsets, type Clock, responseTimeMs, runClosedLoop, runOpenLoop } from '../../../../bench/support/load-generation';

/**
 * Simulated time: `sleep` lets everything already runnable finish, then moves the clock; `stall` makes the next
 * wake-up late, as a busy event loop would.
 */
class FakeClock implements Clock {
  time = 1_000;
  private lateBy = 0;
  now(): number {
    return this.time;
  }
  async sleep(ms: number): Promise<void> {
    await new Promise((resolve) => setImmediate(resolve));
    this.time += ms + this.lateBy;
    this.lateBy = 0;
  }
  stall(ms: number): void {
    this.lateBy = ms;
  }
}

/** A send whose answers the test releases by hand. */
function heldSends() {
  const pending: { index: number; answer: (status: number) => void }[] = [];
  const send = (index: number) => new Promise<number>((resolve) => pending.push({ index, answer: resolve }));
  return { pending, send };
}

describe('arrivalOffsets', () => {
  it('spaces requests evenly at the rate for the duration', () => {
    expect(arrivalOffsets(4, 1000)).toEqual([0, 250, 500, 750]);
    expect(arrivalOffsets(200, 60_000)).toHaveLength(12_000);
  });

  it('refuses a rate that is not a positive number', () => {
    expect(() => arrivalOffsets(0, 1000)).toThrow(/rate is 0: give requests per second/);
    expect(() => arrivalOffsets(Number.NaN, 1000)).toThrow(/rate is NaN/);
  });
});

describe('runOpenLoop', () => {
  it('sends every request at its due time while earlier ones are still unanswered (no coordinated omission)', async () => {
    // Prepare: 5 requests/s for 1 s; no answer comes until the test gives them
    const clock = new FakeClock();
    const { pending, send } = heldSends();

    // Act
    const run = runOpenLoop({ ratePerSecond: 5, durationMs: 1000, send, clock });
    for (let turn = 0; turn < 50 && pending.length < 5; turn++) await new Promise((resolve) => setImmediate(resolve));

    // Assess: all five were sent although none was answered
    expect(pending.map((p) => p.index)).toEqual([0, 1, 2, 3, 4]);
    for (const p of pending) p.answer(200);
    const sent = await run;
    expect(sent.map((r) => r.dueAt - 1000)).toEqual([0, 200, 400, 600, 800]);
    expect(sent.map((r) => r.outcome)).toEqual([200, 200, 200, 200, 200]);
  });

  it('counts the time a late sender lost as latency, and sends what fell due at once', async () => {
    // Prepare: the sender wakes 450 ms late before the second request
    const clock = new FakeClock();
    const sentAt: number[] = [];
    clock.stall(450);

    // Act: each answer takes 10 ms of simulated time
    const run = await runOpenLoop({
      ratePerSecond: 10,
      durationMs: 500,
      clock,
      send: async () => {
        sentAt.push(clock.now());
        return 'ok';
      },
      onDone: () => undefined,
    });

    // Assess: request 1 was due at +100 but sent at +550, with requests 2–5 (all due by then) at the same instant
    expect(run[1].dueAt - 1000).toBe(100);
    expect(run[1].sentAt - 1000).toBe(550);
    expect(run.slice(2).map((r) => r.sentAt - 1000)).toEqual([550, 550, 550]);
    expect(run.map(responseTimeMs)).toEqual([0, 450, 350, 250, 150]);
  });

  it('reports each send and each answer as they happen', async () => {
    const clock = new FakeClock();
    const events: string[] = [];

    await runOpenLoop({
      ratePerSecond: 2,
      durationMs: 1000,
      clock,
      send: async (i) => i,
      onSent: (i) => events.push(`sent ${i}`),
      onDone: (r) => events.push(`done ${r.index}`),
    });

    expect(events).toEqual(['sent 0', 'done 0', 'sent 1', 'done 1']);
  });
});

describe('runClosedLoop', () => {
  it('keeps exactly `connections` requests in flight until the duration has passed', async () => {
    // Prepare: each request takes 100 ms of simulated time
    const clock = new FakeClock();
    let inFlight = 0;
    let most = 0;
    const send = async () => {
      inFlight++;
      most = Math.max(most, inFlight);
      await clock.sleep(100);
      inFlight--;
      return 200;
    };

    // Act
    const { requests } = await runClosedLoop({ connections: 3, durationMs: 1000, send, clock });

    // Assess
    expect(most).toBe(3);
    expect(requests.length).toBeGreaterThanOrEqual(10);
    expect(requests.every((r) => r.dueAt === r.sentAt)).toBe(true);
  });

  it('refuses a connection count that is not a whole number of at least 1', async () => {
    await expect(runClosedLoop({ connections: 0, durationMs: 10, send: async () => 1 })).rejects.toThrow(/connections is 0/);
  });
});
