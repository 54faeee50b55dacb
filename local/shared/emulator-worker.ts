/**
 * An emulator in a worker thread of this process (fauxqs for SQS, dynalite for DynamoDB): the worker program, plain
 * JavaScript run on plain Node.js, starts the emulator on a port of 127.0.0.1 and says so (`{ type: 'ready', port }`,
 * or `{ type: 'failed', message }`); asked to stop (`{ type: 'stop' }`), it closes the emulator and exits. Its own
 * event loop keeps the emulator's work off the runtime's main thread, and the thread cannot outlive the process.
 */
import { Worker, type TransferListItem } from 'node:worker_threads';

const STOP_TIMEOUT_MS = 2_000;

type StartMessage = { readonly type: 'ready'; readonly port: number } | { readonly type: 'failed'; readonly message: string };

export interface EmulatorWorkerOptions {
  /** The worker program's path. */
  readonly program: string;
  /** What the program reads as `workerData`. */
  readonly workerData: unknown;
  /**
   * What `workerData` hands over to the worker (a MessagePort).
   *
   * @default - nothing
   */
  readonly transferList?: readonly TransferListItem[];
  /** How long the program may take to say it is ready. */
  readonly startTimeoutMs: number;
  /** The emulator's name in messages: `fauxqs`. */
  readonly name: string;
  /** The error a failed start throws, given its message (`fauxqs did not start within 15000 ms`). */
  readonly startError: (message: string) => Error;
  /**
   * Told, once started, of an error the worker did not catch (its thread then ends): without a listener, the worker's
   * `error` event would end the whole runtime.
   *
   * @default - one line on stderr
   */
  readonly onError?: (message: string) => void;
}

/** Starts the program in a worker thread and waits until its emulator listens; the worker is terminated if it fails. */
export async function startEmulatorWorker(options: EmulatorWorkerOptions): Promise<{ readonly worker: Worker; readonly port: number }> {
  const worker = new Worker(options.program, {
    workerData: options.workerData,
    transferList: options.transferList ? [...options.transferList] : undefined,
    // No loader flags from the parent (tsx, jest): the emulator runs on plain Node.js.
    execArgv: [],
  });
  const port = await new Promise<number>((resolve, reject) => {
    const { name } = options;
    const timer = setTimeout(() => fail(`${name} did not start within ${options.startTimeoutMs} ms`), options.startTimeoutMs);
    const onMessage = (message: StartMessage) => {
      if (message.type === 'ready') settle(() => resolve(message.port));
      if (message.type === 'failed') fail(`${name} did not start: ${message.message}`);
    };
    const onExit = (code: number) => fail(`${name}'s worker exited with code ${code} while starting`);
    const onError = (error: Error) => fail(`${name}'s worker failed while starting: ${error.message}`);
    function settle(action: () => void): void {
      clearTimeout(timer);
      worker.off('message', onMessage).off('exit', onExit).off('error', onError);
      action();
    }
    function fail(message: string): void {
      settle(() => reject(options.startError(message)));
      void worker.terminate();
    }
    worker.on('message', onMessage).on('exit', onExit).on('error', onError);
  });
  const report = options.onError ?? ((message: string) => process.stderr.write(`${message}\n`));
  worker.on('error', (error) => report(`${options.name}'s worker failed: ${error.message}; it answers nothing more until the runtime restarts`));
  return { worker, port };
}

/** Whether the worker's thread has ended (it exited, or was terminated): Node then gives it the thread id -1. */
function ended(worker: Worker): boolean {
  return worker.threadId === -1;
}

/** CPU time (user + system, ms) the worker's thread has used; 0 once the thread has ended (Node keeps no figure). */
export async function workerCpuMs(worker: Worker): Promise<number> {
  if (ended(worker)) return 0;
  const { user, system } = await worker.cpuUsage();
  return (user + system) / 1000;
}

/**
 * Asks the worker to close its emulator (it answers and exits); terminates it if it does not within STOP_TIMEOUT_MS.
 * A worker whose thread has already ended is stopped: there is nothing to ask, and no `exit` to wait for.
 */
export async function stopEmulatorWorker(worker: Worker): Promise<void> {
  if (ended(worker)) return;
  const exited = new Promise<void>((resolve) => worker.once('exit', () => resolve()));
  worker.postMessage({ type: 'stop' });
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<'late'>((resolve) => {
    timer = setTimeout(() => resolve('late'), STOP_TIMEOUT_MS);
  });
  const outcome = await Promise.race([exited, deadline]);
  clearTimeout(timer);
  if (outcome === 'late') await worker.terminate();
}
