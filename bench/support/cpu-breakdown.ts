/**
 * Where the CPU of a phase went, part by part: the runtime's main thread (API Gateway, the edge, EventBridge, the
 * pollers), each function's execution environments, dynalite's thread, fauxqs's thread, Kinesis (kinesis-local's
 * process, or the in-process shard log's calls, taken out of the main thread's time), the load client's thread, and
 * the rest of the bench's process (V8's garbage-collection and compiler threads, libuv's pool). On a machine whose
 * cores are all busy, this says which part a faster runtime must make cheaper.
 */
import type { RuntimeCpuUsage } from '../../local/runtime';
import type { CpuBreakdown } from './results';

export interface CpuSnapshot {
  /** performance.now() when taken. */
  readonly at: number;
  /** Every thread of the bench's process. */
  readonly processMs: number;
  readonly runtime: RuntimeCpuUsage;
  readonly loadClientMs: number;
}

/** What `cpuSnapshot` reads: the runtime and the load client, as the bench runs them. */
export interface CpuSources {
  readonly runtime: { cpuUsage(): Promise<RuntimeCpuUsage> };
  readonly client: { cpuMs(): Promise<number> };
}

export async function cpuSnapshot(sources: CpuSources): Promise<CpuSnapshot> {
  const [runtime, loadClientMs] = await Promise.all([sources.runtime.cpuUsage(), sources.client.cpuMs()]);
  const { user, system } = process.cpuUsage();
  return { at: performance.now(), processMs: (user + system) / 1000, runtime, loadClientMs };
}

/** Names of the parts, as the report shows them. */
export const CPU_PARTS = {
  main: 'runtime main thread (API Gateway, edge, EventBridge, pollers)',
  dynamoDb: 'dynalite thread (DynamoDB)',
  sqs: 'fauxqs thread (SQS)',
  kinesis: 'kinesis-local process (Kinesis)',
  kinesisInProcess: 'Kinesis shard log (in-process, on the main thread)',
  client: 'load client thread',
  rest: 'rest of the process (V8 GC and compiler threads, libuv pool)',
} as const;

/** The prefix of a function's part: `Lambda OrdersPlaceOrderFunction`. */
export const LAMBDA_PART = 'Lambda ';

/**
 * CPU ms per part between two snapshots. Functions get one part each (`Lambda {short name}`); what the process used
 * beyond the parts it can name is the rest. A part that cannot be read here (one thread's CPU needs
 * `process.threadCpuUsage`, a child process's needs /proc) is left out; an unread thread's time falls into the rest.
 */
export function cpuBreakdown(from: CpuSnapshot, to: CpuSnapshot, orders: number): CpuBreakdown {
  const parts: Record<string, number> = {};
  const main = to.runtime.mainThreadMs !== undefined && from.runtime.mainThreadMs !== undefined ? to.runtime.mainThreadMs - from.runtime.mainThreadMs : undefined;
  const kinesis = to.runtime.kinesisMs !== undefined && from.runtime.kinesisMs !== undefined ? to.runtime.kinesisMs - from.runtime.kinesisMs : undefined;
  // The in-process shard log runs on the main thread: its part is taken out of the main thread's (or the rest's).
  const kinesisInProcess = to.runtime.kinesisOnMainThread === true ? kinesis : undefined;
  if (main !== undefined) parts[CPU_PARTS.main] = Math.max(0, main - (kinesisInProcess ?? 0));
  if (kinesisInProcess !== undefined) parts[CPU_PARTS.kinesisInProcess] = kinesisInProcess;
  for (const [fn, ms] of Object.entries(to.runtime.functionsMs)) {
    const used = ms - (from.runtime.functionsMs[fn] ?? 0);
    if (used > 0) parts[`${LAMBDA_PART}${fn}`] = used;
  }
  parts[CPU_PARTS.dynamoDb] = to.runtime.dynamoDbMs - from.runtime.dynamoDbMs;
  parts[CPU_PARTS.sqs] = to.runtime.sqsMs - from.runtime.sqsMs;
  parts[CPU_PARTS.client] = to.loadClientMs - from.loadClientMs;
  const inProcess = Object.values(parts).reduce((sum, ms) => sum + ms, 0);
  parts[CPU_PARTS.rest] = Math.max(0, to.processMs - from.processMs - inProcess);
  if (kinesis !== undefined && kinesisInProcess === undefined) parts[CPU_PARTS.kinesis] = kinesis;
  return { wallMs: to.at - from.at, parts, orders };
}

/** The CPU ms of every part together. */
export function totalCpuMs(cpu: CpuBreakdown): number {
  return Object.values(cpu.parts).reduce((sum, ms) => sum + ms, 0);
}

/**
 * CPU ms per order of `usedMs`, one part's or several's (all of them by default): what the report's table and the
 * load bench's progress line show. Undefined when no order was taken.
 */
export function cpuMsPerOrder(cpu: CpuBreakdown, usedMs: number = totalCpuMs(cpu)): number | undefined {
  return cpu.orders > 0 ? usedMs / cpu.orders : undefined;
}
