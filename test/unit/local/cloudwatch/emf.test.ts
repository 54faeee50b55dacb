import '../../support/quiet-env';
import { EmfMetrics } from '../../../../lambdas/shared/metrics';
import { parseEmfLine } from '../../../../local/cloudwatch/emf';

const TIMESTAMP = Date.UTC(2026, 10, 21, 23, 10, 0);

function emfLine(body: Record<string, unknown>, metadata: Record<string, unknown> = {}): string {
  return JSON.stringify({ _aws: { Timestamp: TIMESTAMP, CloudWatchMetrics: [{ Namespace: 'Shop', Dimensions: [['service']], Metrics: [{ Name: 'OrderPlaced', Unit: 'Count' }] }], ...metadata }, service: 'orders', OrderPlaced: 1, ...body });
}

describe('parseEmfLine', () => {
  it("reads what the functions' own metrics writer prints", () => {
    // Prepare
    const lines: string[] = [];
    const metrics = new EmfMetrics({ namespace: 'HybridShop', serviceName: 'orders', disabled: false, write: (line) => lines.push(line) });
    metrics.publish('CircuitOpened', 'Count', 1, { dependency: 'inventory' });

    // Act
    const { datums, problem } = parseEmfLine(lines[0]);

    // Assess
    expect(problem).toBeUndefined();
    expect(datums).toEqual([
      { namespace: 'HybridShop', metricName: 'CircuitOpened', dimensions: { service: 'orders', dependency: 'inventory' }, value: 1, unit: 'Count', timestamp: expect.any(Number) },
    ]);
  });

  it('gives one datum per dimension set, per metric, per value', () => {
    // Act
    const { datums } = parseEmfLine(
      JSON.stringify({
        _aws: {
          Timestamp: TIMESTAMP,
          CloudWatchMetrics: [{ Namespace: 'Shop', Dimensions: [['service'], ['service', 'route'], []], Metrics: [{ Name: 'Latency', Unit: 'Milliseconds' }, { Name: 'Hits' }] }],
        },
        service: 'orders',
        route: 'POST /orders',
        Latency: [12, 30],
        Hits: 2,
      }),
    );

    // Assess
    expect(datums).toHaveLength(9);
    expect(datums.filter((datum) => datum.metricName === 'Latency').map((datum) => [Object.keys(datum.dimensions).join('+'), datum.value])).toEqual([
      ['service', 12],
      ['service', 30],
      ['service+route', 12],
      ['service+route', 30],
      ['', 12],
      ['', 30],
    ]);
    expect(datums.find((datum) => datum.metricName === 'Hits')).toMatchObject({ value: 2, timestamp: TIMESTAMP });
    expect(datums.find((datum) => datum.metricName === 'Hits')?.unit).toBeUndefined();
  });

  it('ignores lines that are not EMF, saying nothing', () => {
    for (const line of ['START RequestId: 1', '{"level":"INFO","message":"placed"}', '{"_aws": broken', '', '[1,2]']) {
      expect(parseEmfLine(line)).toEqual({ datums: [] });
    }
  });

  it.each([
    ['no Timestamp', emfLine({}, { Timestamp: undefined }), /_aws.Timestamp must be a number/],
    ['a dimension that is not a member', emfLine({ service: undefined }), /dimension service of CloudWatchMetrics\[0\] must be a string member/],
    ['a dimension that is a number', emfLine({ service: 7 }), /dimension service .* got 7/],
    ['a metric that is not a number', emfLine({ OrderPlaced: 'one' }), /metric OrderPlaced must be a number member/],
    ['a metric without its member', emfLine({ OrderPlaced: undefined }), /metric OrderPlaced must be a number member/],
    ['no namespace', emfLine({}, { CloudWatchMetrics: [{ Dimensions: [], Metrics: [] }] }), /Namespace must be a string/],
    ['more than 100 values', emfLine({ OrderPlaced: Array.from({ length: 101 }, () => 1) }), /a list of 1 to 100 numbers/],
  ])('gives no metric and a problem for EMF with %s', (_case, line, problem) => {
    // Act
    const result = parseEmfLine(line);

    // Assess
    expect(result.datums).toEqual([]);
    expect(result.problem).toMatch(problem);
  });
});
