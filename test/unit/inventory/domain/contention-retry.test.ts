import { type ContentionRetryPolicy, retryOnContention } from '../../../../lambdas/inventory/domain/contention-retry';
import { ServiceUnavailableError } from '../../../../lambdas/shared/errors';

type Outcome = { kind: 'done' } | { kind: 'contention' };

function policy(): ContentionRetryPolicy & { waits: number[] } {
  const waits: number[] = [];
  return { maxRetries: 3, baseDelayMs: 25, random: () => 0.5, sleep: async (ms) => void waits.push(ms), waits };
}

describe('retryOnContention', () => {
  it('returns the first outcome that is not contention', async () => {
    const outcomes: Outcome[] = [{ kind: 'contention' }, { kind: 'done' }];
    const retry = policy();

    await expect(retryOnContention(async () => outcomes.shift() as Outcome, retry)).resolves.toEqual({ kind: 'done' });
    expect(retry.waits).toEqual([12.5]);
  });

  it('waits a random part of a doubling range before each retry (full jitter)', async () => {
    const retry = policy();

    await expect(retryOnContention(async (): Promise<Outcome> => ({ kind: 'contention' }), retry)).rejects.toThrow(ServiceUnavailableError);
    expect(retry.waits).toEqual([12.5, 25, 50]);
  });

  it('makes one attempt plus maxRetries retries before answering 503', async () => {
    const attempt = jest.fn(async (): Promise<Outcome> => ({ kind: 'contention' }));

    await expect(retryOnContention(attempt, policy())).rejects.toMatchObject({ retryAfterSeconds: 1 });
    expect(attempt).toHaveBeenCalledTimes(4);
  });
});
