/** Test support: function handlers that hold until the test lets them go, and a drain that lets them go in turn. */
import { nextTurn } from './in-memory-queue';

/** Handlers that hold until the test lets them go, one at a time, oldest first. */
export class HeldHandlers {
  private readonly held: (() => void)[] = [];

  /** The handler: returns once released. */
  readonly handle = (): Promise<void> =>
    new Promise((resolve) => {
      this.held.push(resolve);
    });

  get count(): number {
    return this.held.length;
  }

  releaseOne(): void {
    this.held.shift()?.();
  }
}

/** More turns than the tests' messages can take, so a poller that stopped for good fails the test instead of hanging it. */
const MAX_TURNS = 500;

/**
 * Lets the held handlers go one at a time, each a full turn of the event loop after the last (when every poller that
 * could start has started, since the in-memory queue answers at once), until `done()`.
 */
export async function drain(held: HeldHandlers, done: () => boolean): Promise<void> {
  for (let turn = 0; turn < MAX_TURNS && !done(); turn++) {
    await nextTurn();
    held.releaseOne();
  }
  if (!done()) throw new Error(`not drained after ${MAX_TURNS} turns`);
}
