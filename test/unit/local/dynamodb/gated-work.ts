/** Test support: work a lock runs, which the test lets finish when it wants. */

/** A piece of work the test finishes when it wants, recording when it starts and ends. */
export class Work {
  started = false;
  finished = false;
  private release: () => void = () => undefined;
  private readonly gate = new Promise<void>((resolve) => {
    this.release = resolve;
  });

  readonly run = async (): Promise<string> => {
    this.started = true;
    await this.gate;
    this.finished = true;
    return 'done';
  };

  finish(): void {
    this.release();
  }
}

/** Lets every pending promise callback run. */
export function settle(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}
