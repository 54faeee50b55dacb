import type { EnvironmentOutcome, InitOutcome } from '../../../../local/lambda/execution-environment';
import type { PoolEnvironment } from '../../../../local/lambda/function-pool';

/** A promise the test settles. */
export function deferred<T>(): { promise: Promise<T>; resolve: (value: T) => void } {
  let resolve!: (value: T) => void;
  const promise = new Promise<T>((r) => {
    resolve = r;
  });
  return { promise, resolve };
}

/** An invocation a fake environment is running: what it was handed, and how to answer it. */
export interface RunningInvocation {
  /** The environment's number, in the order they were started (from 1). */
  readonly environment: number;
  readonly invocation: Parameters<PoolEnvironment['invoke']>[0];
  readonly answer: (outcome: EnvironmentOutcome) => void;
}

/**
 * Execution environments the test drives instead of worker threads: each one's init ends when the test says
 * (`ready`), and each invocation answers when the test says (`finish`).
 */
export class FakeEnvironments {
  readonly started: { ready: (outcome?: InitOutcome) => void }[] = [];
  readonly running: RunningInvocation[] = [];

  readonly start = (config: PoolEnvironment['config']): PoolEnvironment => {
    const init = deferred<InitOutcome>();
    this.started.push({ ready: (outcome = { ok: true, initDurationMs: 1 }) => init.resolve(outcome) });
    const environment = this.started.length;
    return {
      config,
      ready: init.promise,
      alive: true,
      invoke: (invocation) => {
        const answer = deferred<EnvironmentOutcome>();
        this.running.push({ environment, invocation, answer: answer.resolve });
        return answer.promise;
      },
      cpuMicros: async () => 0,
      terminate: async () => undefined,
    };
  };

  /** Answers the oldest invocation still running (or the one `environment` runs) with `outcome`. */
  finish(outcome: EnvironmentOutcome = { kind: 'success', payload: '"done"' }, environment?: number): void {
    const index = environment === undefined ? 0 : this.running.findIndex((r) => r.environment === environment);
    const [next] = index < 0 ? [] : this.running.splice(index, 1);
    if (!next) throw new Error('no invocation is running');
    next.answer(outcome);
  }
}
