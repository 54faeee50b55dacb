import { execFile } from 'node:child_process';
import * as path from 'node:path';
import { promisify } from 'node:util';

const ROOT = path.resolve(__dirname, '../../../..');

/** Every chart of the fixture results rendered to SVG by vega, in a child process (see fixtures/render-charts.ts). */
async function renderAll(): Promise<Record<string, string>> {
  const { stdout } = await promisify(execFile)(process.execPath, ['--import', 'tsx', path.join(__dirname, 'fixtures', 'render-charts.ts')], {
    cwd: ROOT,
    maxBuffer: 64 * 1024 * 1024,
  });
  return JSON.parse(stdout) as Record<string, string>;
}

describe('the bench charts rendered to SVG', () => {
  let svgs: Record<string, string>;
  beforeAll(async () => {
    svgs = await renderAll();
  }, 60_000);

  it('draws every chart of every family as a standalone SVG document', () => {
    expect(Object.keys(svgs).sort()).toEqual(
      ['latency-ecdf', 'latency-percentiles', 'load-p99', 'load-queues', 'load-rate', 'outage-sync-latency', 'outage-timeline', 'overhead-ecdf', 'overhead-throughput'].sort(),
    );
    for (const svg of Object.values(svgs)) {
      expect(svg).toMatch(/^<svg [^>]*xmlns="http:\/\/www.w3.org\/2000\/svg"/);
      expect(svg.trimEnd()).toMatch(/<\/svg>$/);
    }
  });

  it('draws the latency distributions as step lines, one panel per inventory latency, on a log axis', () => {
    const svg = svgs['latency-ecdf'];

    expect(svg).toContain('mark-line role-mark');
    for (const level of ['healthy', '+100 ms', '+500 ms', '+2000 ms']) expect(svg).toContain(`>${level}</text>`);
    expect(svg).toContain('response time (ms, log)');
    expect(svg).toContain('>sync</text>');
    expect(svg).toContain('>async</text>');
  });

  it('draws the async target as a rule next to the p50/p99 lines', () => {
    expect(svgs['latency-percentiles']).toContain('mark-rule role-mark');
    expect(svgs['latency-percentiles']).toContain('mark-symbol role-mark');
  });

  it('draws the outage as stacked bars per second over a shaded window, breaker on above breaker off', () => {
    const svg = svgs['outage-timeline'];

    expect(svg).toContain('mark-rect role-mark');
    expect(svg).toContain('sync 503 circuit-open');
    expect(svg.indexOf('breaker on')).toBeLessThan(svg.indexOf('breaker off'));
  });

  it('draws the overhead paths, the throughput bars with the 1,000 requests/s rule, and the load’s queues', () => {
    expect(svgs['overhead-ecdf']).toContain('plain HTTP server (floor)');
    expect(svgs['overhead-throughput']).toContain('mark-rule role-mark');
    expect(svgs['overhead-throughput']).toContain('mark-rect role-mark');
    expect(svgs['load-queues']).toContain('InventoryReservationsQueue');
    expect(svgs['load-p99']).toContain('p99 (ms, log)');
  });
});
