import type { InvocationReport } from '../../../../local/lambda/function-pool';
import { formatApiRequest, formatInvocation } from '../../../../local/runtime/log-format';

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

describe('formatApiRequest', () => {
  const report = { apiLogicalId: 'Api', apiName: 'HybridShop-public', method: 'GET', path: '/prod/orders/o-1', durationMs: 2, requestId: 'r' };

  it("says why the gateway refused a request: the authorizer's reason, which the client is not told", () => {
    expect(formatApiRequest({ ...report, status: 401, errorType: 'UNAUTHORIZED', authorizerError: 'the token has expired' })).toBe(
      '⇄ HybridShop-public  GET /prod/orders/o-1 → 401  2 ms  [UNAUTHORIZED: the token has expired]',
    );
  });

  it('names the function and its error when the integration failed', () => {
    expect(formatApiRequest({ ...report, status: 502, functionRef: 'Fn', errorType: 'DEFAULT_5XX', functionError: 'boom' }, () => 'PlaceOrder')).toBe(
      '⇄ HybridShop-public  GET /prod/orders/o-1 → 502  2 ms  PlaceOrder  [DEFAULT_5XX: boom]',
    );
  });
});
