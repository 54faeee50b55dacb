/**
 * A fake clock for the local runtime's own waits (`performance.now()`, `setTimeout`), which a test moves on with
 * `jest.advanceTimersByTimeAsync` by exactly as much as it means, while the emulators, the worker threads, `Date` and
 * `setImmediate` keep real time. Undo it with `jest.useRealTimers()` (in an `afterEach`, so a failed test undoes it).
 */
export function useFakeClock(): void {
  jest.useFakeTimers({ doNotFake: ['Date', 'hrtime', 'nextTick', 'setImmediate', 'clearImmediate', 'queueMicrotask'] });
}

/** Polls `probe` until it holds, without the faked timers: for what an emulator or a worker does in real time. */
export async function untilReal(probe: () => boolean | Promise<boolean>, what: string, timeoutMs = 5_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await probe())) {
    if (Date.now() > deadline) throw new Error(`Timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((resolve) => setImmediate(resolve));
  }
}
