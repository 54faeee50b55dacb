/**
 * A fair readers/writer lock for async work. Shared holders run together; an exclusive holder runs alone.
 * Waiters are served in arrival order, so a waiting writer is not starved by a stream of readers: readers that
 * arrive after it wait for it.
 */
type Mode = 'shared' | 'exclusive';

interface Waiter {
  readonly mode: Mode;
  readonly grant: () => void;
}

export class ReadersWriterLock {
  private readers = 0;
  private writer = false;
  private readonly queue: Waiter[] = [];

  /** Runs `work` alongside other shared holders, never alongside an exclusive one. */
  shared<T>(work: () => Promise<T>): Promise<T> {
    return this.run('shared', work);
  }

  /** Runs `work` alone: no other holder, shared or exclusive, runs meanwhile. */
  exclusive<T>(work: () => Promise<T>): Promise<T> {
    return this.run('exclusive', work);
  }

  private async run<T>(mode: Mode, work: () => Promise<T>): Promise<T> {
    await this.acquire(mode);
    try {
      return await work();
    } finally {
      this.release(mode);
    }
  }

  private acquire(mode: Mode): Promise<void> {
    if (this.queue.length === 0 && this.canGrant(mode)) {
      this.take(mode);
      return Promise.resolve();
    }
    return new Promise((resolve) => this.queue.push({ mode, grant: resolve }));
  }

  private canGrant(mode: Mode): boolean {
    return mode === 'shared' ? !this.writer : !this.writer && this.readers === 0;
  }

  private take(mode: Mode): void {
    if (mode === 'shared') this.readers += 1;
    else this.writer = true;
  }

  private release(mode: Mode): void {
    if (mode === 'shared') this.readers -= 1;
    else this.writer = false;
    while (this.queue.length > 0 && this.canGrant(this.queue[0].mode)) {
      const next = this.queue.shift();
      if (next === undefined) break;
      this.take(next.mode);
      next.grant();
    }
  }
}
