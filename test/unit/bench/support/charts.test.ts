import { outageCharts } from '../../../../bench/support/charts';
import { outageResults } from './fixtures/bench-results';

describe('outageCharts', () => {
  it('gives each second its own bar, the last one included (a bin never closes on the last value)', () => {
    // Prepare: the fixture's timeline runs from second 0 to second 54
    const [timeline] = outageCharts(outageResults());

    // Act
    const layers = (timeline.spec as { spec: { layer: { encoding: { x: { bin?: unknown } } }[] } }).spec.layer;

    // Assess
    expect(layers[1].encoding.x.bin).toEqual({ step: 1, extent: [0, 55] });
  });
});
