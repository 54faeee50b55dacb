/**
 * The figures `bench:authorizer` reports: the user-pool authorizer's own time per request (the gateway's
 * `authorizerMs`), the whole-request latency of the route behind it and of a route without one (the baseline,
 * measured in the same run), and what share of the authorized request the authorizer is. Pure functions over plain
 * numbers, so the figures can be checked by hand.
 */
import { percentileOfSorted } from './statistics';

export interface Percentiles {
  readonly n: number;
  readonly p50: number;
  readonly p99: number;
}

export interface AuthorizerFigures {
  /** The authorizer's time on each authorized request (ms). */
  readonly authorizer: Percentiles;
  /** Whole requests to the authorized route, as the client timed them (ms). */
  readonly authorized: Percentiles;
  /** Whole requests to the route without an authorizer (ms). */
  readonly baseline: Percentiles;
  /**
   * The authorizer's p50 over the authorized request's p50, and p99 over p99: a ratio of percentiles, not the
   * percentile of per-request ratios (the slowest requests are not slow for the authorizer's sake alone).
   */
  readonly share: { readonly p50: number; readonly p99: number };
}

export function percentiles(values: readonly number[]): Percentiles {
  const sorted = [...values].sort((a, b) => a - b);
  return { n: sorted.length, p50: percentileOfSorted(sorted, 50), p99: percentileOfSorted(sorted, 99) };
}

export function authorizerFigures(samples: { readonly authorizerMs: readonly number[]; readonly authorizedMs: readonly number[]; readonly baselineMs: readonly number[] }): AuthorizerFigures {
  const authorizer = percentiles(samples.authorizerMs);
  const authorized = percentiles(samples.authorizedMs);
  return {
    authorizer,
    authorized,
    baseline: percentiles(samples.baselineMs),
    share: { p50: authorizer.p50 / authorized.p50, p99: authorizer.p99 / authorized.p99 },
  };
}
