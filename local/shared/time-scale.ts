/**
 * The local runtime's time scale: a factor for the waits that exist only to let time pass, so a test can watch a
 * message be redelivered and dead-lettered, or a delivery be retried to exhaustion, in seconds instead of minutes.
 *
 * Scaled (× factor):
 * - SQS queues of the template, at provisioning: VisibilityTimeout, DelaySeconds, ReceiveMessageWaitTimeSeconds.
 *   fauxqs takes whole seconds there: a scaled value is rounded to the nearest second, and one that was not 0 stays
 *   at least 1 s (18 s × 0.05 → 1 s; 60 s × 0.05 → 3 s).
 * - SQS calls through the edge: ChangeMessageVisibility(Batch)'s VisibilityTimeout, ReceiveMessage's
 *   VisibilityTimeout, SendMessage(Batch)'s DelaySeconds. fauxqs takes fractions of a second there: a scaled value is
 *   rounded to the millisecond, and one that was not 0 stays at least 1 ms.
 * - Retry backoffs: EventBridge target retries, Lambda's asynchronous invocation retries after a function error,
 *   Kinesis event source mapping retries of a failed batch (in milliseconds, not rounded).
 * - CloudWatch: every alarm's Period and the evaluation interval (a minute × factor, at least 50 ms), and the queue
 *   sampler's interval (a minute × factor, within 250 ms and 10 s). The ages published as metrics (SQS
 *   ApproximateAgeOfOldestMessage, Lambda IteratorAge, Kinesis GetRecords.IteratorAgeMilliseconds) are divided by the
 *   factor, so they are measured in the same scaled time as the periods: at 0.01 a message 3 real seconds old is 300 s
 *   old to its alarm. Latencies and durations are not: a 2.5 s slow downstream is 2.5 s to its alarm.
 *
 * Never scaled: function and init timeouts, API Gateway's integration timeout, anything a handler measures, event and
 * record ages (MaximumEventAgeInSeconds, MaximumRecordAgeInSeconds), batching windows, throttle backoffs (they wait
 * for concurrency to free up, not for time to pass) and the pollers' own intervals. So a handler that runs longer
 * than its queue's scaled visibility timeout sees its message delivered again while it works, as it would in AWS
 * with a visibility timeout shorter than the function's timeout.
 */

/** A time scale that is not a positive, finite number. */
export class InvalidTimeScaleError extends Error {
  constructor(readonly value: unknown) {
    super(`The time scale is ${String(value)}: give a positive number, e.g. 0.05 (20 times faster) or 1 (real time)`);
    this.name = 'InvalidTimeScaleError';
  }
}

/** The most an SQS queue attribute may be (CreateQueue's limits), for a factor above 1. */
const QUEUE_ATTRIBUTE_MAX: Readonly<Record<QueueWaitAttribute, number>> = {
  VisibilityTimeout: 43_200,
  DelaySeconds: 900,
  ReceiveMessageWaitTimeSeconds: 20,
};
/** The most a message's VisibilityTimeout or DelaySeconds may be. */
const MESSAGE_MAX_SECONDS: Readonly<Record<'VisibilityTimeout' | 'DelaySeconds', number>> = { VisibilityTimeout: 43_200, DelaySeconds: 900 };

export type QueueWaitAttribute = 'VisibilityTimeout' | 'DelaySeconds' | 'ReceiveMessageWaitTimeSeconds';

export class TimeScale {
  /** Real time. */
  static readonly REAL_TIME = new TimeScale(1);

  /** The SQS queue attributes a time scale changes. */
  static readonly QUEUE_WAIT_ATTRIBUTES: readonly QueueWaitAttribute[] = ['VisibilityTimeout', 'DelaySeconds', 'ReceiveMessageWaitTimeSeconds'];

  /** @throws InvalidTimeScaleError unless `factor` is a positive, finite number */
  constructor(readonly factor: number) {
    if (typeof factor !== 'number' || !Number.isFinite(factor) || factor <= 0) throw new InvalidTimeScaleError(factor);
  }

  /** Whether anything is scaled at all. */
  get isRealTime(): boolean {
    return this.factor === 1;
  }

  /** A wait in milliseconds. */
  ms(ms: number): number {
    return ms * this.factor;
  }

  /** A queue attribute in whole seconds, as fauxqs's CreateQueue takes it: rounded, at least 1 s unless it was 0. */
  queueSeconds(attribute: QueueWaitAttribute, seconds: number): number {
    if (!Number.isFinite(seconds) || seconds <= 0 || this.isRealTime) return seconds;
    return Math.min(QUEUE_ATTRIBUTE_MAX[attribute], Math.max(1, Math.round(seconds * this.factor)));
  }

  /** A message's VisibilityTimeout or DelaySeconds, as fauxqs takes it: to the millisecond, at least 1 ms unless it was 0. */
  messageSeconds(parameter: 'VisibilityTimeout' | 'DelaySeconds', seconds: number): number {
    if (!Number.isFinite(seconds) || seconds <= 0 || this.isRealTime) return seconds;
    return Math.min(MESSAGE_MAX_SECONDS[parameter], Math.max(0.001, Math.round(seconds * this.factor * 1000) / 1000));
  }
}
