import type { InvocationReport } from '../../../local/lambda/function-pool';
import { formatInvocation } from '../../../local/log-format';

function invocation(overrides: Partial<InvocationReport> = {}): InvocationReport {
  return {
    logicalId: 'OrdersPlaceOrderFunction1A2B3C4D',
    shortName: 'OrdersPlaceOrderFunction',
    requestId: 'r-1',
    outcome: 'success',
    durationMs: 42,
    startedAt: Date.UTC(2025, 0, 1),
    concurrentExecutions: 1,
    queuedMs: 0,
    ...overrides,
  };
}

describe('formatInvocation', () => {
  it('prints the outcome and the duration', () => {
    expect(formatInvocation(invocation())).toBe('λ OrdersPlaceOrderFunction  ok  42 ms');
  });

  it('says how long an invocation waited for a free environment', () => {
    expect(formatInvocation(invocation({ queuedMs: 15, initDurationMs: 180 }))).toBe(
      'λ OrdersPlaceOrderFunction  ok  42 ms  (cold start, init 180 ms)  (waited 15 ms for a free environment)',
    );
  });

  it('prints a throttle without a duration', () => {
    expect(formatInvocation(invocation({ outcome: 'throttled', durationMs: 0 }))).toBe('λ OrdersPlaceOrderFunction  THROTTLED (TooManyRequestsException)');
  });
});
