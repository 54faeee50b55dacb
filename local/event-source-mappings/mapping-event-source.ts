/** The longest `stop()` waits for deliveries under way. */
const STOP_GRACE_MS = 2_000;

/**
 * What an event source mapping's poller is, whatever it reads (`SqsEventSource`, `KinesisEventSource`): the mapping
 * it runs, a start that runs once, and a stop.
 */
export abstract class MappingEventSource<C> {
  /** Aborts when the source stops: what reads or waits gives up. */
  protected readonly abort = new AbortController();
  private started = false;

  protected constructor(readonly config: C) {}

  /** Starts reading (see `begin`); a second call does nothing. */
  async start(): Promise<void> {
    if (this.started) return;
    this.started = true;
    await this.begin();
  }

  /**
   * Stops reading at once (a read under way is abandoned) and waits, up to STOP_GRACE_MS, for deliveries under way
   * to end (a longer one ends when the runtime stops its function).
   */
  async stop(): Promise<void> {
    this.abort.abort();
    let timer: NodeJS.Timeout | undefined;
    const grace = new Promise<void>((resolve) => {
      timer = setTimeout(resolve, STOP_GRACE_MS);
    });
    await Promise.race([Promise.all(this.underWay()), grace]);
    clearTimeout(timer);
  }

  /** Starts reading, once. */
  protected abstract begin(): Promise<void>;

  /** What reads and delivers now, for `stop()` to wait for. */
  protected abstract underWay(): Iterable<Promise<void>>;
}
