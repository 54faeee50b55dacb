/**
 * What the console shows of the runtime once a second: its queues and streams, functions and alarms, read from what
 * the runtime already keeps (the metric store the alarms are evaluated against, the function pools, the alarm
 * evaluator), never by asking the emulators: one snapshot costs a few hundred in-memory metric lookups, whatever the
 * load.
 *
 * - Queues: the gauges the queue sampler last published (`AWS/SQS`, every minute of scaled time within [250 ms,
 *   10 s]); the age of the oldest message in real seconds (the metric is time-scaled). A queue is a DLQ when another
 *   queue's RedrivePolicy names it (it can then be redriven) or its name says so (`…Dlq…`, `…DeadLetter…`, the
 *   on-failure queues' `…Failure…`).
 * - Streams: the iterator age (`GetRecords.IteratorAgeMilliseconds`, real ms) of the last minute, 0 when no batch
 *   was handed to a consumer in it.
 * - Functions: invocations since the start; errors and p50/p99 duration over the last minute (`AWS/Lambda`);
 *   environments now; cold starts are the environments the console saw start between two snapshots (an environment
 *   started and reaped within one second is missed).
 * - Alarms: every metric and composite alarm with its state (and why, unless OK), and the most recent transitions.
 */
import type { AlarmStateChange, AlarmStatus } from '../cloudwatch/alarm-evaluator';
import type { Datapoints, MetricIdentity } from '../cloudwatch/metric-store';
import type { FunctionSummary } from '../lambda/lambda-service';

/** The window of the per-minute figures (errors, durations, iterator ages). */
export const WINDOW_MS = 60_000;

/** What the snapshot reads the metrics through (`MetricStore`). */
export interface MetricQueries {
  query(metric: MetricIdentity, statistic: string, periodMs: number, startMs: number, endMs: number, options?: { readonly origin?: number }): Datapoints;
}

/** A queue of the template, as the console needs it. */
export interface ConsoleQueueSource {
  readonly name: string;
  readonly arn: string;
  readonly deadLetterTargetArn?: string;
}

/** An event source mapping and whether it polls. */
export interface ConsoleMappingSource {
  readonly logicalId: string;
  /** The queue or stream it reads. */
  readonly source: string;
  readonly enabled: boolean;
}

export interface SnapshotSources {
  readonly metrics: MetricQueries;
  readonly alarms: () => readonly AlarmStatus[];
  readonly functions: () => readonly FunctionSummary[];
  readonly mappings: () => readonly ConsoleMappingSource[];
  readonly queues: readonly ConsoleQueueSource[];
  readonly streams: readonly { readonly name: string }[];
  /** The runtime's time scale: ages in the metrics are divided by it. */
  readonly timeScale: number;
  /** How often the queue gauges are sampled (ms): the window their last value is looked for in. */
  readonly queueSampleIntervalMs: number;
}

export interface QueueRow {
  readonly name: string;
  readonly visible: number;
  readonly inFlight: number;
  readonly delayed: number;
  /** Real seconds. */
  readonly oldestAgeSeconds: number;
  readonly dlq: boolean;
  /** The queues whose RedrivePolicy names this one: a redrive sends its messages back to them. */
  readonly redrivesTo: readonly string[];
  /** The mapping that consumes the queue, if any. */
  readonly consumer?: ConsoleMappingSource;
}

export interface StreamRow {
  readonly name: string;
  /** Real ms, the largest of the last minute. */
  readonly iteratorAgeMs: number;
  readonly consumers: readonly ConsoleMappingSource[];
}

export interface FunctionRow {
  readonly logicalId: string;
  /** The logical id without CDK's hash. */
  readonly label: string;
  readonly invocations: number;
  readonly errors: number;
  readonly coldStarts: number;
  readonly p50Ms?: number;
  readonly p99Ms?: number;
  readonly environments: number;
  readonly busy: number;
  readonly fault?: FunctionSummary['fault'];
}

export interface AlarmRow {
  readonly name: string;
  readonly kind: 'metric' | 'composite';
  readonly state: string;
  /** Why it is in its state; left out for an alarm that is OK. */
  readonly reason?: string;
  readonly updatedAt: number;
}

export interface AlarmTransition {
  readonly name: string;
  readonly from: string;
  readonly to: string;
  readonly at: number;
}

export interface ConsoleSnapshot {
  readonly at: number;
  readonly queues: readonly QueueRow[];
  readonly streams: readonly StreamRow[];
  readonly functions: readonly FunctionRow[];
  readonly alarms: readonly AlarmRow[];
  readonly transitions: readonly AlarmTransition[];
}

const DLQ_NAME = /dlq|dead-?letter|failure/i;

/** The logical id without the 8-character hash CDK appends. */
export function labelOf(logicalId: string): string {
  return logicalId.replace(/[0-9A-F]{8}$/, '');
}

/** The last `max` alarm transitions, newest first. */
export class AlarmTransitions {
  private readonly kept: AlarmTransition[] = [];

  constructor(private readonly max = 50) {}

  record(change: Pick<AlarmStateChange, 'name' | 'from' | 'to' | 'timestamp'>): void {
    this.kept.unshift({ name: change.name, from: change.from, to: change.to, at: change.timestamp });
    if (this.kept.length > this.max) this.kept.length = this.max;
  }

  list(): readonly AlarmTransition[] {
    return [...this.kept];
  }
}

/** Builds snapshots; remembers the environment counts between them, to count cold starts. */
export class ConsoleSnapshots {
  private readonly environments = new Map<string, number>();
  private readonly coldStarts = new Map<string, number>();
  /** Queue ARN → the names of the queues that dead-letter into it. */
  private readonly sourcesOf = new Map<string, string[]>();

  constructor(
    private readonly sources: SnapshotSources,
    private readonly transitions: AlarmTransitions,
  ) {
    for (const queue of sources.queues) {
      if (queue.deadLetterTargetArn === undefined) continue;
      const list = this.sourcesOf.get(queue.deadLetterTargetArn) ?? [];
      list.push(queue.name);
      this.sourcesOf.set(queue.deadLetterTargetArn, list);
    }
  }

  /** The snapshot at `now` (epoch ms). */
  take(now: number): ConsoleSnapshot {
    const mappings = this.sources.mappings();
    return {
      at: now,
      queues: this.sources.queues.map((queue) => this.queueRow(queue, mappings, now)),
      streams: this.sources.streams.map((stream) => ({
        name: stream.name,
        iteratorAgeMs: Math.round((this.windowStat('AWS/Kinesis', 'GetRecords.IteratorAgeMilliseconds', { StreamName: stream.name }, 'Maximum', now) ?? 0) * this.sources.timeScale),
        consumers: mappings.filter((m) => m.source === stream.name),
      })),
      functions: this.sources.functions().map((fn) => this.functionRow(fn, now)),
      // The reason only where it says something: a hundred OK alarms' reasons would be most of every snapshot.
      alarms: this.sources.alarms().map((status) => ({
        name: status.alarm.name,
        kind: status.alarm.kind,
        state: status.state,
        ...(status.state !== 'OK' ? { reason: status.reason } : {}),
        updatedAt: status.updatedTimestamp,
      })),
      transitions: this.transitions.list(),
    };
  }

  private queueRow(queue: ConsoleQueueSource, mappings: readonly ConsoleMappingSource[], now: number): QueueRow {
    const gauge = (metricName: string) => this.lastValue('AWS/SQS', metricName, { QueueName: queue.name }, now) ?? 0;
    const redrivesTo = this.sourcesOf.get(queue.arn) ?? [];
    const consumer = mappings.find((m) => m.source === queue.name);
    return {
      name: queue.name,
      visible: gauge('ApproximateNumberOfMessagesVisible'),
      inFlight: gauge('ApproximateNumberOfMessagesNotVisible'),
      delayed: gauge('ApproximateNumberOfMessagesDelayed'),
      oldestAgeSeconds: Math.round(gauge('ApproximateAgeOfOldestMessage') * this.sources.timeScale * 10) / 10,
      dlq: redrivesTo.length > 0 || DLQ_NAME.test(queue.name),
      redrivesTo,
      ...(consumer ? { consumer } : {}),
    };
  }

  private functionRow(fn: FunctionSummary, now: number): FunctionRow {
    const dims = { FunctionName: fn.functionName };
    const seen = this.environments.get(fn.logicalId);
    if (seen !== undefined && fn.environments > seen) this.coldStarts.set(fn.logicalId, (this.coldStarts.get(fn.logicalId) ?? 0) + fn.environments - seen);
    this.environments.set(fn.logicalId, fn.environments);
    const p50 = this.windowStat('AWS/Lambda', 'Duration', dims, 'p50', now);
    const p99 = this.windowStat('AWS/Lambda', 'Duration', dims, 'p99', now);
    return {
      logicalId: fn.logicalId,
      label: labelOf(fn.logicalId),
      invocations: fn.invocations,
      errors: this.windowStat('AWS/Lambda', 'Errors', dims, 'Sum', now) ?? 0,
      coldStarts: this.coldStarts.get(fn.logicalId) ?? 0,
      ...(p50 !== undefined ? { p50Ms: Math.round(p50 * 10) / 10 } : {}),
      ...(p99 !== undefined ? { p99Ms: Math.round(p99 * 10) / 10 } : {}),
      environments: fn.environments,
      busy: fn.busy,
      ...(fn.fault ? { fault: fn.fault } : {}),
    };
  }

  /** The statistic over the last minute, as one period; undefined without data. */
  private windowStat(namespace: string, metricName: string, dimensions: Record<string, string>, statistic: string, now: number): number | undefined {
    // One period, [now + 1 - window, now + 1): its origin put there.
    const start = now + 1 - WINDOW_MS;
    const { values } = this.sources.metrics.query({ namespace, metricName, dimensions }, statistic, WINDOW_MS, start, now + 1, { origin: start });
    return values[0];
  }

  /** The last value a sampled gauge had, within two sampling intervals. */
  private lastValue(namespace: string, metricName: string, dimensions: Record<string, string>, now: number): number | undefined {
    const interval = this.sources.queueSampleIntervalMs;
    const { values } = this.sources.metrics.query({ namespace, metricName, dimensions }, 'Maximum', 1, now - 2 * interval, now + 1);
    return values.length === 0 ? undefined : values[values.length - 1];
  }
}
