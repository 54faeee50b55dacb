/**
 * Fakes only `Date` (Jest's modern fake timers), from `now` on: code that reads the time gets the test's time, while
 * timers, I/O callbacks and microtasks run as usual. Install it before importing code that keeps `Date` or `Date.now`;
 * move the time with `advanceDate`; undo with `jest.useRealTimers()`.
 */
export function fakeDateOnly(now: Date | number): void {
  jest.useFakeTimers({
    now,
    doNotFake: ['hrtime', 'nextTick', 'performance', 'queueMicrotask', 'setImmediate', 'clearImmediate', 'setInterval', 'clearInterval', 'setTimeout', 'clearTimeout'],
  });
}

/** Moves the faked `Date` on by `ms`. */
export function advanceDate(ms: number): void {
  jest.setSystemTime(Date.now() + ms);
}
