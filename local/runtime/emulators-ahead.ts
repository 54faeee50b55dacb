/**
 * The emulators that take long to start, started ahead of the runtime: fauxqs, a worker thread, and kinesis-local, a
 * process of its own, when it serves Kinesis (the in-process shard log needs no start). `npm start` starts them first, then loads the rest of the runtime and checks (or
 * synthesizes) the assembly while they boot on the other cores; `startLocalRuntime` takes them over (`emulatorsAhead`)
 * instead of starting its own. Started for the stack's account and region as the assembly named them; the runtime
 * starts others if the stack turns out to run elsewhere (a synth that moved it), and stops these.
 *
 * This file imports nothing heavy, so that starting them does not wait for the rest of the runtime to load.
 */
import type { KinesisBackendName } from '../kinesis/kinesis-backend-name';
import { startKinesis, type LocalKinesis } from '../kinesis/kinesis-local';
import { startSqs, type LocalSqs } from '../sqs/sqs-local';

/** An emulator that started, and how long it took. */
export interface Timed<T> {
  readonly value: T;
  readonly ms: number;
}

export interface EmulatorsAhead {
  readonly accountId: string;
  readonly region: string;
  /** The Kinesis backend they were started for: kinesis-local is started ahead only when it is the backend. */
  readonly kinesisBackend: KinesisBackendName;
  readonly sqs: Promise<Timed<LocalSqs>>;
  readonly kinesis?: Promise<Timed<LocalKinesis>>;
}

/** Times `start`, from now until it resolves. */
export async function timed<T>(start: Promise<T>): Promise<Timed<T>> {
  const began = performance.now();
  const value = await start;
  return { value, ms: Math.round(performance.now() - began) };
}

/** Starts fauxqs, and kinesis-local when it is the Kinesis backend, for a stack in `accountId` and `region`. */
export function startEmulatorsAhead(environment: { readonly accountId: string; readonly region: string; readonly kinesisBackend: KinesisBackendName }): EmulatorsAhead {
  const ahead: EmulatorsAhead = {
    ...environment,
    sqs: timed(startSqs({ region: environment.region })),
    ...(environment.kinesisBackend === 'kinesis-local' ? { kinesis: timed(startKinesis({ accountId: environment.accountId, region: environment.region })) } : {}),
  };
  // Their failures are the runtime's to report, when it takes them over: not unhandled rejections meanwhile.
  ahead.sqs.catch(() => undefined);
  ahead.kinesis?.catch(() => undefined);
  return ahead;
}

/** Stops them, once started: the runtime did not take them over. */
export async function stopEmulatorsAhead(ahead: EmulatorsAhead): Promise<void> {
  await Promise.allSettled([ahead.sqs.then(({ value }) => value.stop()), ahead.kinesis?.then(({ value }) => value.stop())]);
}
