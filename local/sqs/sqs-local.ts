/**
 * SQS for the local runtime: fauxqs (an SQS emulator from npm) in a worker thread of this process, on 127.0.0.1.
 *
 * fauxqs is an ES module that needs Node.js ≥ 22.5 (it imports node:sqlite), so the CommonJS test sandbox cannot
 * load it in-process; a worker thread loads it natively, keeps its event loop apart from the runtime's (long polls
 * and timers never delay a Lambda response), and cannot outlive the process. fauxqs answers the SQS JSON protocol
 * only; the edge (`sqs-service.ts`) adds the query protocol, message move tasks and the queue URLs clients see.
 *
 * fauxqs keeps every queue in account 000000000000 and builds its queue URLs as
 * `http://sqs.{region}.{FAUXQS_QUEUE_HOST}:{port}/000000000000/{name}`; `QueueAddressing` turns them into the edge's.
 */
import * as path from 'node:path';
import { startEmulatorWorker, stopEmulatorWorker, workerCpuMs } from '../shared/emulator-worker';

/** The program the worker runs (a sibling of this file, plain JavaScript). */
const WORKER = path.join(__dirname, 'fauxqs-worker.mjs');
/** The host name fauxqs puts in its queue URLs: a marker the edge recognises and replaces. */
export const FAUXQS_QUEUE_HOST = 'fauxqs';
const START_TIMEOUT_MS = 15_000;

export interface LocalSqs {
  /** fauxqs's own endpoint (`http://127.0.0.1:{port}`); clients use the edge instead. */
  readonly endpoint: string;
  /** Every queue's counts and oldest message, read in fauxqs's thread (for CloudWatch's AWS/SQS metrics). */
  stats(): Promise<readonly QueueStats[]>;
  /** CPU time (user + system, ms) fauxqs's thread has used; 0 once stopped. */
  cpuMs(): Promise<number>;
  stop(): Promise<void>;
}

/** One queue as CloudWatch's AWS/SQS metrics see it. */
export interface QueueStats {
  readonly name: string;
  /** ApproximateNumberOfMessagesVisible. */
  readonly visible: number;
  /** ApproximateNumberOfMessagesNotVisible (in flight). */
  readonly notVisible: number;
  /** ApproximateNumberOfMessagesDelayed. */
  readonly delayed: number;
  /** The SentTimestamp (epoch ms) of the oldest message not deleted yet; undefined when the queue is empty. */
  readonly oldestSentTimestamp?: number;
  /** Messages put into the queue since the previous `stats()` call. */
  readonly sent: number;
}

/** fauxqs did not start (its worker failed, or did not answer in time). */
export class SqsStartError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'SqsStartError';
  }
}

type WorkerMessage = { readonly type: 'stopped' } | { readonly type: 'stats'; readonly id: number; readonly queues: QueueStats[] };

const STATS_TIMEOUT_MS = 5_000;

/**
 * Starts fauxqs in a worker thread.
 * @param options.region the region of queues created without a signed request. @default 'us-east-1'
 * @param options.port the port. @default 0 - a free port chosen by the system
 */
export async function startSqs(options: { readonly region?: string; readonly port?: number } = {}): Promise<LocalSqs> {
  const { worker, port } = await startEmulatorWorker({
    program: WORKER,
    workerData: { queueHost: FAUXQS_QUEUE_HOST, region: options.region ?? 'us-east-1', port: options.port ?? 0 },
    startTimeoutMs: START_TIMEOUT_MS,
    name: 'fauxqs',
    startError: (message) => new SqsStartError(message),
  });

  let stopped: Promise<void> | undefined;
  let nextStatsId = 0;
  const pendingStats = new Map<number, (queues: QueueStats[]) => void>();
  worker.on('message', (message: WorkerMessage) => {
    if (message.type !== 'stats') return;
    pendingStats.get(message.id)?.(message.queues);
    pendingStats.delete(message.id);
  });
  return {
    endpoint: `http://127.0.0.1:${port}`,
    stats: () => {
      if (stopped) return Promise.resolve([]);
      const id = nextStatsId++;
      return new Promise<QueueStats[]>((resolve, reject) => {
        const timer = setTimeout(() => {
          pendingStats.delete(id);
          reject(new Error(`fauxqs did not answer a stats request within ${STATS_TIMEOUT_MS} ms`));
        }, STATS_TIMEOUT_MS);
        pendingStats.set(id, (queues) => {
          clearTimeout(timer);
          resolve(queues);
        });
        worker.postMessage({ type: 'stats', id });
      });
    },
    cpuMs: async () => (stopped ? 0 : workerCpuMs(worker)),
    stop: () => {
      stopped ??= stopEmulatorWorker(worker);
      return stopped;
    },
  };
}
