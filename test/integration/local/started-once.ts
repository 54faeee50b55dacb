/**
 * Something the tests of the enclosing `describe` share, started in its `beforeAll` and stopped in its `afterAll`.
 * What it returns stands for the started thing: read it inside tests and hooks (reading it while the `describe` is
 * being declared, before `beforeAll` has run, throws).
 */
export function startedOnce<T extends { stop(): Promise<void> }>(what: string, start: () => Promise<T>): T {
  let started: T | undefined;
  beforeAll(async () => {
    started = await start();
  });
  afterAll(async () => {
    await started?.stop();
    started = undefined;
  });
  return new Proxy({} as T, {
    get: (_, property) => {
      if (started === undefined) throw new Error(`${what} is not started: read it inside a test or a hook, not while the describe is declared`);
      return Reflect.get(started, property);
    },
  });
}
