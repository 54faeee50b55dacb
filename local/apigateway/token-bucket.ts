import { ThrottleLimit } from './rest-api-model';

/**
 * API Gateway's throttling: a bucket of `burstLimit` tokens refilled at `rateLimit` per second; each request takes
 * one, and a request that finds the bucket empty is throttled (429). The bucket starts full.
 */
export class TokenBucket {
  private tokens: number;
  private refilledAt: number;

  public constructor(
    public readonly limit: ThrottleLimit,
    private readonly now: () => number = () => performance.now(),
  ) {
    this.tokens = limit.burstLimit;
    this.refilledAt = now();
  }

  /** Takes a token if there is one; false means throttled. */
  public tryTake(): boolean {
    const now = this.now();
    const elapsedSeconds = Math.max(0, now - this.refilledAt) / 1000;
    this.tokens = Math.min(this.limit.burstLimit, this.tokens + elapsedSeconds * this.limit.rateLimit);
    this.refilledAt = now;
    if (this.tokens < 1) return false;
    this.tokens -= 1;
    return true;
  }
}
