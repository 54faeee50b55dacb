/**
 * Something the tests of the enclosing `describe` share, started in its `beforeAll` and stopped in its `afterAll`.
 * What it returns stands for the started thing: read it inside tests and hooks (reading it while the `describe` is
 * being declared, before `beforeAll` has run, throws). A start that outlasts the hook's timeout is still stopped once
 * it has finished, so no emulator outlives the file.
 */
export function startedOnce<T extends { stop(): Promise<void> }>(what: string, start: () => Promise<T>): T {
  let starting: Promise<T> | undefined;
  let started: T | undefined;
  beforeAll(async () => {
    starting = start();
    started = await starting;
  });
  afterAll(async () => {
    const late = await starting?.catch(() => undefined);
    started = undefined;
    await late?.stop();
  });
  return new Proxy({} as T, {
    get: (_, property) => {
      if (started === undefined) throw new Error(`${what} is not started: read it inside a test or a hook, not while the describe is declared`);
      return Reflect.get(started, property);
    },
  });
}
