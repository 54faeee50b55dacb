import { ServiceUnavailableError } from '../../shared/errors';

/** How a transaction that collided with concurrent writers is retried. */
export interface ContentionRetryPolicy {
  /** Retries after the first attempt. */
  readonly maxRetries: number;
  /** The first retry waits random(0..baseDelayMs); each later one doubles the range (full jitter). */
  readonly baseDelayMs: number;
  readonly sleep: (ms: number) => Promise<void>;
  /** A number in [0, 1). */
  readonly random: () => number;
}

/** Up to 3 retries, waiting 0..25, 0..50, 0..100 ms: the whole retry stays well inside an API call's budget. */
export const DEFAULT_CONTENTION_RETRY: ContentionRetryPolicy = {
  maxRetries: 3,
  baseDelayMs: 25,
  sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
  random: Math.random,
};

/**
 * Run `attempt` until its outcome is not `contention`, retrying at most `policy.maxRetries` times with
 * full-jitter backoff; still contended after that → 503 with Retry-After.
 */
export async function retryOnContention<T extends { readonly kind: string }>(
  attempt: () => Promise<T>,
  policy: ContentionRetryPolicy,
): Promise<Exclude<T, { kind: 'contention' }>> {
  for (let retry = 0; ; retry++) {
    const outcome = await attempt();
    if (outcome.kind !== 'contention') return outcome as Exclude<T, { kind: 'contention' }>;
    if (retry >= policy.maxRetries) {
      throw new ServiceUnavailableError('Stock is busy with concurrent updates; retry shortly.', {
        type: 'contention',
        retryAfterSeconds: 1,
      });
    }
    await policy.sleep(policy.random() * policy.baseDelayMs * 2 ** retry);
  }
}
