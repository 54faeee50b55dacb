import { ms, reportBlocks, targetRows } from '../../../../bench/support/report-content';
import { renderMarkdown } from '../../../../bench/support/report-document';
import { AGE_ALARM, latencyResults, loadResults, outageResults, overheadResults, spikeResults, usage } from './fixtures/bench-results';

const verdicts = (rows: ReturnType<typeof targetRows>) => rows.map((r) => r.verdict);

describe('targetRows', () => {
  it('passes every target when every figure is within it', () => {
    const rows = targetRows({ overhead: overheadResults({ throughput: [{ connections: 8, durationMs: 5000, requests: 6000, perSecond: 1200, errors: 0, statuses: { '200': 6000 }, latency: overheadResults().direct, usage }] }), latency: latencyResults(), outage: outageResults(), spike: spikeResults() });

    expect(verdicts(rows)).toEqual(['PASS', 'PASS', 'PASS', 'PASS', 'PASS', 'PASS', 'PASS', 'PASS', 'PASS']);
    expect(rows[0].figure).toMatch(/^0\.75 ms \(through the runtime 2\.74 ms, in-process 1\.99 ms/);
  });

  it('reports a miss with the figure that missed: overhead, throughput, async p99, lost orders', () => {
    const rows = targetRows({ overhead: overheadResults(), latency: latencyResults(45), outage: outageResults(2) });

    expect(verdicts(rows).slice(0, 4)).toEqual(['PASS', 'MISS', 'MISS', 'MISS']);
    expect(rows[1].figure).toBe('800 requests/s with 8 connections, 0 errors');
    expect(rows[2].figure).toMatch(/^worst p99 44\.6 ms/);
    expect(rows[3].figure).toMatch(/^4 of 550 accepted orders not in a final state/);
  });

  it('misses the throughput target when any request failed, however fast', () => {
    const rows = targetRows({ overhead: overheadResults({ throughput: [{ connections: 8, durationMs: 5000, requests: 6000, perSecond: 1200, errors: 3, statuses: { '200': 5997, '429': 3 }, latency: overheadResults().direct, usage }] }) });

    expect(rows[1].verdict).toBe('MISS');
    expect(rows[1].figure).toContain('3 errors');
  });

  it('names the spike figures behind each of its targets', () => {
    const rows = targetRows({ spike: spikeResults() }).slice(4);

    expect(rows.map((r) => r.figure)).toEqual([
      '1,110/1,110 answered 202 (202 × 1,110); p99 39.6 ms, max 40.0 ms; at 39 orders/s, C = 13.0/s',
      '1,160/1,160 orders taken reached a final state (SHIPPED × 1,160); 0 messages dead-lettered',
      "12.7 orders' worth of work/s (14.5 orders became final/s, some with steps done during the spike) after the spike (0.97 × C); drained 62.0 s after the spike ended",
      'InventoryReservationsAgeOfOldestMessage ALARM at 42 s, OK at 112 s; 0 in ALARM at the end (time scale 0.05)',
      '50 served, 10 shed (10 with Retry-After, max 60.0 ms), 0 otherwise (201 × 50, 503 × 10); 0 answered 504 or not at all',
    ]);
  });

  it('misses the spike targets: a slow or refused 202, an order lost, a slow drain, an alarm that never fired, a sync 504', () => {
    const async = { ...spikeResults().requests.async, ok: 1_100, latency: { ...spikeResults().requests.async.latency, p99: 51 } };
    const sync = { ...spikeResults().requests.sync, ok: 49, outcomes: { '201': 49, '503': 10, '504': 1 } };
    const bad = spikeResults({
      requests: { async, sync },
      drain: { ...spikeResults().drain, notFinal: 3, statuses: { SHIPPED: 1_157, PENDING: 3 }, workPerSecond: 9 },
      alarms: [],
      timeouts: 1,
    });

    expect(verdicts(targetRows({ spike: bad })).slice(4)).toEqual(['MISS', 'MISS', 'MISS', 'MISS', 'MISS']);
    expect(targetRows({ spike: bad })[7].figure).toMatch(/^no queue-age alarm went to ALARM/);
  });

  it('misses the sync target when a shed answer has no Retry-After or takes longer than 100 ms', () => {
    const noHeader = spikeResults({ syncShed: { ...spikeResults().syncShed, withRetryAfter: 9 } });
    const slow = spikeResults({ syncShed: { ...spikeResults().syncShed, latency: { ...spikeResults().syncShed.latency, max: 5_000 } } });

    expect(targetRows({ spike: noHeader })[8].verdict).toBe('MISS');
    expect(targetRows({ spike: slow })[8].verdict).toBe('MISS');
  });

  it('misses every spike target when the spike was smaller than the target’s, and says so', () => {
    const rows = targetRows({ spike: spikeResults({ factor: 2 }) }).slice(4);

    expect(verdicts(rows)).toEqual(Array(5).fill('MISS'));
    expect(rows[0].figure).toContain('measured at 2 × C for 30 s, not the target');
  });

  it('judges the drain on the work done after the spike, not on the orders that became final', () => {
    // Prepare: 1.3 × C orders became final per second, but the work left was 0.97 × C
    const row = targetRows({ spike: spikeResults({ drain: { ...spikeResults().drain, perSecond: 16.9 } }) })[6];

    // Assess
    expect(row.verdict).toBe('PASS');
    expect(row.figure).toContain("12.7 orders' worth of work/s (16.9 orders became final/s");
  });

  it('says how many of the capacity backlog were shed while it was sent', () => {
    const md = renderMarkdown(reportBlocks({ spike: spikeResults({ capacity: { ...spikeResults().capacity, orders: 405 } }) }));

    expect(md).toContain('405 asynchronous orders were accepted (sent at 30/s, 195 more shed with 503), then');
  });

  it('judges results saved before the work was measured on the orders that became final, and says so', () => {
    // Prepare: as saved on 2026-12-07: C a slope over 150 orders, the drain in orders final
    const { orders, drainMs, notFinal } = spikeResults().capacity;
    const { taken, statuses, deadLettered, afterSpikeMs, deadlineMs } = spikeResults().drain;
    const old = spikeResults({
      capacity: { orders, perSecond: 23, drainMs, notFinal },
      drain: { taken, notFinal: 0, statuses, deadLettered, afterSpikeMs, perSecond: 39.5, deadlineMs },
    });

    // Act
    const row = targetRows({ spike: old })[6];
    const md = renderMarkdown(reportBlocks({ spike: old }));

    // Assess
    expect(row).toMatchObject({ verdict: 'MISS', figure: expect.stringMatching(/^39\.5 orders final\/s \(saved before the work drained was measured\) after the spike \(1\.72 × C\)/) });
    expect(md).toContain('(the slope between the 10th and 90th percentile of their final times, as older results (saved without the batches per function) took it; the last one 46.0 s after the release)');
    expect(md).not.toContain("Where the drain's work went");
    expect(md).toContain('600 asynchronous orders were accepted, then the consumer resumed');
  });

  it('misses the drain target when the spike left no backlog, and says the spike did not exceed what the machine carries', () => {
    const row = targetRows({ spike: spikeResults({ drain: { ...spikeResults().drain, afterSpikeMs: 30, perSecond: 35.6 } }) })[6];

    expect(row.verdict).toBe('MISS');
    expect(row.figure).toMatch(/^no backlog left to drain: every order final 0\.0 s after the spike ended \(largest backlog 780 orders\)/);
  });

  it('misses the alarm target when the alarm went to ALARM but not back to OK', () => {
    const stuck = spikeResults({ alarms: [spikeResults().alarms[0]], ageAlarmsAtEnd: { [AGE_ALARM]: 'ALARM' } });

    expect(targetRows({ spike: stuck })[7]).toMatchObject({ verdict: 'MISS', figure: expect.stringContaining('ALARM at 42 s, not back to OK; 1 in ALARM at the end') });
  });

  it('says “not measured” for a family with no saved results', () => {
    expect(verdicts(targetRows({}))).toEqual(Array(9).fill('not measured'));
  });

  it('sets no target on the load at a fixed rate, which the spike replaced', () => {
    expect(targetRows({ load: loadResults({ errors: 5 }) }).map((r) => r.target).join('\n')).not.toMatch(/load 200 orders/);
  });
});

describe('reportBlocks', () => {
  it('writes the targets, one section per family with its run, tables and charts, and names what is not measured yet', () => {
    const md = renderMarkdown(reportBlocks({ latency: latencyResults(), load: loadResults() }));

    expect(md).toContain('## Targets');
    expect(md).toContain('by `npm run bench`: Node.js v22.23.3, AMD EPYC × 2 cores');
    expect(md).toContain('Not measured yet: run `npm run bench -- --only overhead`.');
    expect(md).toContain('| +2000 ms | 3,020 | 4,020 | 4,040 | 10/100 |');
    expect(md).toContain('![Order placement p50 and p99 by inventory latency](charts/latency-percentiles.svg)');
    expect(md).toContain('![Load: queue depths during the run and while draining](charts/load-queues.svg)');
    expect(md).toContain('| every queue empty | 12.3 s after the last answer |');
    expect(md).toContain('- +2000 ms: sync answers 503 circuit-open × 90, 201 × 10; async answers 202 × 100');
    expect(md).not.toContain('quick run');
  });

  it('writes the spike section: C, the rates, the drain, the queue-age alarm changes, the other alarms, both charts', () => {
    const md = renderMarkdown(reportBlocks({ spike: spikeResults({ alarms: [...spikeResults().alarms, { seconds: 50, name: 'HybridShop/PublicApi/Alarms/LatencyP99', from: 'OK', to: 'ALARM' }] }) }));

    expect(md).toContain('## Spike: 3 × the drain capacity for 30 s');
    expect(md).toContain('**C = 13.0 orders/s**');
    expect(md).toContain('| spike rate | 39 orders/s for 30 s |');
    expect(md).toContain('| largest backlog (orders taken, not final) | 780 |');
    expect(md).toContain("| drain rate after the spike | 12.7 orders' worth of work/s (14.5 orders became final/s, some with steps done during the spike) (0.97 × C) |");
    expect(md).toContain('600 asynchronous orders were accepted (sent at 30/s), then');
    expect(md).toContain('**C = 13.0 orders/s** (every one of them, over the 46.0 s from the release to the last one final)');
    expect(md).toContain('| A | 600 in 60 (10.0 a batch) | 20.0 ms | 700 in 70 (10.0 a batch) | 30.0 ms | 700 |');
    expect(md).toContain('| B | 1,800 in 180 (10.0 a batch) | 5.0 ms | 2,700 in 270 (10.0 a batch) | 6.0 ms | 900 |');
    expect(md).toContain(`- 41.5 s: \`${AGE_ALARM}\` OK → ALARM`);
    expect(md).toContain('Other alarms that changed state meanwhile (1 changes): `HybridShop/PublicApi/Alarms/LatencyP99`.');
    expect(md).toContain('(charts/spike-rate.svg)');
    expect(md).toContain('(charts/spike-backlog.svg)');
    expect(md).toContain('Not measured yet: run `npm run bench:load`.');
  });

  it('counts the orders function’s cold starts per inventory latency, and says n/a for results saved before they were counted', () => {
    const latency = latencyResults();
    const older = { ...latency, levels: latency.levels.map(({ ordersColdStarts: _counted, ...level }) => level) };

    const rows = (md: string) => md.split('\n').filter((line) => /^\| (healthy|\+\d+ ms) \|/.test(line));

    expect(rows(renderMarkdown(reportBlocks({ latency }))).map((row) => row.split(' | ').at(-2))).toEqual(['0', '0', '0', '3']);
    expect(rows(renderMarkdown(reportBlocks({ latency: older }))).map((row) => row.split(' | ').at(-2))).toEqual(['n/a', 'n/a', 'n/a', 'n/a']);
  });

  it('says when the runtime’s main thread was saturated, and only then', () => {
    const saturated = renderMarkdown(reportBlocks({ load: loadResults({ usage: { mainThreadBusy: 0.99, processCores: 1.1 } }) }));
    const calm = renderMarkdown(reportBlocks({ load: loadResults() }));

    expect(saturated).toContain('**The local runtime was the bottleneck** while the orders were sent (main thread 99 % busy)');
    expect(calm).not.toContain('bottleneck**');
  });

  it('flags a quick run at the top and in its section', () => {
    const md = renderMarkdown(reportBlocks({ load: loadResults({ run: { ...loadResults().run, quick: true } }) }));

    expect(md).toContain('**Some sections come from a quick run (`--quick`)');
    expect(md).toContain('(**quick run: short phases, not the report’s figures**)');
  });
});

describe('ms', () => {
  it('keeps two decimals under 10, one under 100, none above, and shows a missing figure as a dash', () => {
    expect([ms(0.4567), ms(12.345), ms(1234.5), ms(Number.NaN)]).toEqual(['0.46', '12.3', '1,235', '—']);
  });
});
