import { benchUsage, BenchUsageError, parseBenchOptions } from '../../../../bench/support/bench-options';
import { FAMILIES } from '../../../../bench/support/results';

const defaults = { families: FAMILIES, outDir: '/repo/bench' };

describe('parseBenchOptions', () => {
  it('runs every family at full length into bench/ by default, the load at 200 orders/s for 60 s, 10 % sync, the spike at 3 × C for 30 s', () => {
    const options = parseBenchOptions([], {}, defaults);

    expect(options).toEqual({
      families: FAMILIES,
      quick: false,
      outDir: '/repo/bench',
      load: { ratePerSecond: 200, seconds: 60, syncShare: 0.1, consoleOpen: false },
      spike: { factor: 3, seconds: 30, syncShare: 0.05, capacityOrders: 600, timeScale: 0.05 },
    });
  });

  it('takes the spike options, and shorter spike defaults with --quick', () => {
    expect(parseBenchOptions(['--spike-factor', '4', '--spike-seconds=20', '--capacity-orders', '200', '--spike-time-scale', '0.1'], { BENCH_SPIKE_SYNC_SHARE: '0.1' }, defaults).spike).toEqual({
      factor: 4,
      seconds: 20,
      syncShare: 0.1,
      capacityOrders: 200,
      timeScale: 0.1,
    });
    expect(parseBenchOptions(['--quick'], {}, defaults).spike).toEqual({ factor: 3, seconds: 5, syncShare: 0.05, capacityOrders: 40, timeScale: 0.05 });
  });

  it('takes --only as a comma list, in the bench’s own order, and --quick with shorter load defaults', () => {
    const options = parseBenchOptions(['--only', 'load,overhead', '--quick'], {}, defaults);

    expect(options.families).toEqual(['overhead', 'load']);
    expect(options.quick).toBe(true);
    expect(options.load).toEqual({ ratePerSecond: 40, seconds: 3, syncShare: 0.1, consoleOpen: false });
  });

  it('reads the BENCH_* variables, and a flag wins over its variable', () => {
    const options = parseBenchOptions(['--load-rate=50'], { BENCH_ONLY: 'latency', BENCH_QUICK: '1', BENCH_LOAD_RATE: '10', BENCH_OUT: '/tmp/b', BENCH_SYNC_SHARE: '0.5' }, defaults);

    expect(options.families).toEqual(['latency']);
    expect(options.quick).toBe(true);
    expect(options.outDir).toBe('/tmp/b');
    expect(options.load.ratePerSecond).toBe(50);
    expect(options.load.syncShare).toBe(0.5);
  });

  it('keeps the console open during the load with --console-open or BENCH_CONSOLE_OPEN=1, and takes no value for it', () => {
    expect(parseBenchOptions(['--console-open'], {}, defaults).load.consoleOpen).toBe(true);
    expect(parseBenchOptions([], { BENCH_CONSOLE_OPEN: '1' }, defaults).load.consoleOpen).toBe(true);
    expect(parseBenchOptions([], { BENCH_CONSOLE_OPEN: '0' }, defaults).load.consoleOpen).toBe(false);
    expect(() => parseBenchOptions(['--console-open=yes'], {}, defaults)).toThrow("unknown argument '--console-open=yes'");
  });

  it('treats BENCH_QUICK=0 and false as not quick', () => {
    expect(parseBenchOptions([], { BENCH_QUICK: '0' }, defaults).quick).toBe(false);
    expect(parseBenchOptions([], { BENCH_QUICK: 'false' }, defaults).quick).toBe(false);
  });

  it('measures no family with --report-only, and refuses it with --only', () => {
    expect(parseBenchOptions(['--report-only'], {}, defaults).families).toEqual([]);
    expect(() => parseBenchOptions(['--report-only', '--only', 'load'], {}, defaults)).toThrow('--report-only measures nothing: leave out --only');
  });

  it('names every problem in one usage error: unknown family, bad number, unknown flag, missing value', () => {
    // Act
    let error: unknown;
    try {
      parseBenchOptions(['--only', 'speed', '--sync-share', '2', '--fast', '--out'], {}, defaults);
    } catch (e) {
      error = e;
    }

    // Assess
    expect(error).toBeInstanceOf(BenchUsageError);
    const message = (error as Error).message;
    expect(message).toContain('--only speed: the families are overhead, latency, outage, spike, load');
    expect(message).toContain("--sync-share is '2': give a share from 0 to 1");
    expect(message).toContain("unknown argument '--fast'");
    expect(message).toContain('--out needs a value');
    expect(message).toContain('usage: npm run bench --');
  });
});

describe('the bench usage', () => {
  it('names the script it was run as, and every flag the parser takes', () => {
    const usage = benchUsage('bench:spike');

    expect(usage).toMatch(/^usage: npm run bench:spike -- /);
    for (const flag of ['only', 'quick', 'out', 'report-only', 'load-rate', 'load-seconds', 'sync-share', 'console-open', 'spike-factor', 'spike-seconds', 'spike-sync-share', 'capacity-orders', 'spike-time-scale']) {
      expect(usage).toContain(`[--${flag}`);
    }
  });
});
