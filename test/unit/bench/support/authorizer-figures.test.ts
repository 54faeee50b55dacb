import { authorizerFigures, percentiles } from '../../../../bench/support/authorizer-figures';

describe('percentiles', () => {
  it('takes the nearest-rank p50 and p99, whatever order the values came in', () => {
    const values = Array.from({ length: 100 }, (_, i) => 100 - i);

    expect(percentiles(values)).toEqual({ n: 100, p50: 50, p99: 99 });
  });

  it('is NaN for no values', () => {
    expect(percentiles([])).toEqual({ n: 0, p50: Number.NaN, p99: Number.NaN });
  });
});

describe('authorizerFigures', () => {
  it("gives the authorizer's share of the authorized request as p50 over p50 and p99 over p99", () => {
    // Prepare: the authorizer 0.1 ms (0.5 ms on the slowest two of 100), requests 4 ms (10 ms on the slowest two)
    const authorizerMs = [...Array.from({ length: 98 }, () => 0.1), 0.5, 0.5];
    const authorizedMs = [...Array.from({ length: 98 }, () => 4), 10, 10];
    const baselineMs = Array.from({ length: 100 }, () => 3);

    // Act
    const figures = authorizerFigures({ authorizerMs, authorizedMs, baselineMs });

    // Assess
    expect(figures.authorizer).toEqual({ n: 100, p50: 0.1, p99: 0.5 });
    expect(figures.authorized).toEqual({ n: 100, p50: 4, p99: 10 });
    expect(figures.baseline).toEqual({ n: 100, p50: 3, p99: 3 });
    expect(figures.share.p50).toBeCloseTo(0.025);
    expect(figures.share.p99).toBeCloseTo(0.05);
  });
});
