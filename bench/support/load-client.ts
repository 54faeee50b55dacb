/**
 * The main thread's handle on the load client thread (`load-client-thread.ts`): start it, hand it a plan, get the
 * records back. One plan runs at a time. Runs under tsx (`npm run bench`), whose loader the thread inherits.
 */
import * as path from 'node:path';
import { Worker } from 'node:worker_threads';
import type {
  ClosedLoopPlan,
  ClosedLoopResult,
  FromClient,
  OpenLoopPlan,
  OverheadPlan,
  OverheadResult,
  Progress,
  RequestRecord,
  ToClient,
} from './load-client-protocol';

export class LoadClient {
  private nextId = 1;
  private readonly waiting = new Map<number, { resolve: (value: unknown) => void; reject: (error: Error) => void; onProgress?: (p: Progress) => void }>();
  private exited?: Error;

  private constructor(private readonly worker: Worker) {
    worker.on('message', (message: FromClient) => {
      const entry = this.waiting.get(message.id);
      if (!entry) return;
      if (message.type === 'progress') return entry.onProgress?.(message.progress);
      this.waiting.delete(message.id);
      if (message.type === 'result') entry.resolve(message.result);
      else entry.reject(new Error(`the load client failed: ${message.message}`));
    });
    const fail = (error: Error) => {
      this.exited = error;
      for (const entry of this.waiting.values()) entry.reject(error);
      this.waiting.clear();
    };
    worker.on('error', (error) => fail(error));
    worker.on('exit', (code) => fail(new Error(`the load client thread exited (code ${code})`)));
  }

  /**
   * Starts the thread; `env` becomes its `process.env` (a function's environment, for the overhead plan). What a
   * handler prints there is dropped, as the runtime's log of the Lambda workers is by the bench.
   */
  static start(env: Readonly<Record<string, string>> = {}): LoadClient {
    const worker = new Worker(path.join(__dirname, 'load-client-thread.ts'), { env: { ...process.env, ...env }, stdout: true, stderr: true });
    worker.stdout.resume();
    worker.stderr.resume();
    return new LoadClient(worker);
  }

  openLoop(plan: OpenLoopPlan, onProgress?: (p: Progress) => void): Promise<RequestRecord[]> {
    return this.run({ type: 'openLoop', id: this.nextId++, plan }, onProgress) as Promise<RequestRecord[]>;
  }

  closedLoop(plan: ClosedLoopPlan): Promise<ClosedLoopResult> {
    return this.run({ type: 'closedLoop', id: this.nextId++, plan }) as Promise<ClosedLoopResult>;
  }

  overhead(plan: OverheadPlan): Promise<OverheadResult> {
    return this.run({ type: 'overhead', id: this.nextId++, plan }) as Promise<OverheadResult>;
  }

  /** CPU time (user + system, ms) the load client's thread has used. */
  async cpuMs(): Promise<number> {
    const { user, system } = await this.worker.cpuUsage();
    return (user + system) / 1000;
  }

  async stop(): Promise<void> {
    this.worker.removeAllListeners('exit');
    await this.worker.terminate();
  }

  private run(message: ToClient, onProgress?: (p: Progress) => void): Promise<unknown> {
    if (this.exited) return Promise.reject(this.exited);
    return new Promise((resolve, reject) => {
      this.waiting.set(message.id, { resolve, reject, onProgress });
      this.worker.postMessage(message);
    });
  }
}
