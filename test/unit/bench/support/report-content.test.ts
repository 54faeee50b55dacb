import { ms, reportBlocks, targetRows } from '../../../../bench/support/report-content';
import { renderMarkdown } from '../../../../bench/support/report-document';
import { latencyResults, loadResults, outageResults, overheadResults, usage } from './fixtures/bench-results';

const verdicts = (rows: ReturnType<typeof targetRows>) => rows.map((r) => r.verdict);

describe('targetRows', () => {
  it('passes every target when every figure is within it', () => {
    const rows = targetRows({ overhead: overheadResults({ throughput: [{ connections: 8, durationMs: 5000, requests: 6000, perSecond: 1200, errors: 0, statuses: { '200': 6000 }, latency: overheadResults().direct, usage }] }), latency: latencyResults(), outage: outageResults(), load: loadResults() });

    expect(verdicts(rows)).toEqual(['PASS', 'PASS', 'PASS', 'PASS', 'PASS', 'PASS', 'PASS']);
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

  it('misses the load targets on errors, undrained queues or orders not final, and when the load was lighter than the target', () => {
    const undrained = loadResults({ errors: 2, drain: { ...loadResults().drain, queuesEmptyAfterMs: Number.NaN, notFinal: 5, statuses: { SHIPPED: 11_995, PENDING: 5 } } });
    const lighter = loadResults({ ratePerSecond: 50 });

    expect(verdicts(targetRows({ load: undrained })).slice(4)).toEqual(['MISS', 'MISS', 'MISS']);
    expect(targetRows({ load: undrained })[5].figure).toBe('queues not empty 600.0 s after the last answer');
    expect(verdicts(targetRows({ load: lighter })).slice(4)).toEqual(['MISS', 'MISS', 'MISS']);
    expect(targetRows({ load: lighter })[4].figure).toContain('measured at 50 orders/s for 60 s, not the target');
  });

  it('says “not measured” for a family with no saved results', () => {
    expect(verdicts(targetRows({}))).toEqual(Array(7).fill('not measured'));
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
