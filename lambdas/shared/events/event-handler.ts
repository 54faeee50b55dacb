import middy from '@middy/core';
import type { Context, KinesisStreamBatchResponse, KinesisStreamEvent, SQSBatchResponse, SQSEvent, SQSRecord } from 'aws-lambda';
import { eventFromKinesisRecord, processKinesisBatch } from '../batch/kinesis-batch';
import { errorAttributes } from '../batch/record-failure';
import { eventFromSqsRecord, processSqsBatch } from '../batch/sqs-batch';
import { type LogAttributes, logger } from '../logger';
import { type DetailType, parseEventBridgeEvent, type ShopEvent, type ShopEventOf } from './contracts';
import { UnexpectedEventError } from './unexpected-event-error';

/**
 * The event-side twin of `apiHandler`: one wrapper per way Lambda hands a function its events. Each puts the Lambda
 * context in the logs, parses what it is handed into a typed message (`InvalidEventError` when it breaks its
 * contract, `UnexpectedEventError` when its type is not one the function accepts), puts the message's correlation id
 * on every log line about it (a shop event's orderId, eventId and detailType too), and ends a failure the way its
 * event source retries it: a partial batch response for SQS and Kinesis, a thrown error for an asynchronous
 * invocation.
 */

export type SqsBatchHandler = (event: SQSEvent, context: Context) => Promise<SQSBatchResponse>;
export type KinesisBatchHandler = (event: KinesisStreamEvent, context: Context) => Promise<KinesisStreamBatchResponse>;
/** An EventBridge rule's Lambda target: invoked asynchronously with the whole event, retried when it throws. */
export type EventBridgeHandler = (event: unknown, context: Context) => Promise<void>;

export interface ShopEventHandlerOptions<K extends DetailType> {
  /**
   * The event types the function's subscription delivers. Any other is an `UnexpectedEventError` before the handler
   * sees it, so it fails like any other failure and, after its retries, reaches the DLQ.
   */
  readonly accepts: readonly K[];
}

export interface SqsMessageHandlerOptions<T> {
  /** The message a record carries. Throws a typed error for a record that is none, and the record fails. */
  readonly parse: (record: SQSRecord) => T;
  /** The correlation id the message carries. */
  readonly correlationIdOf: (message: T) => string;
  /**
   * The queue is FIFO: a failed record fails every later record of its message group in the batch, unhandled, so the
   * group is retried in its order.
   * @default false
   */
  readonly fifo?: boolean;
}

/**
 * An SQS consumer of any message: each record parsed, then handled, one after the other. Answers a partial batch
 * response: only the failed records are retried and, after the queue's `maxReceiveCount`, reach its DLQ.
 */
export function sqsMessageHandler<T>(options: SqsMessageHandlerOptions<T>, handle: (message: T) => Promise<void>): SqsBatchHandler {
  const { parse, correlationIdOf, fifo = false } = options;
  return sqsHandler(parse, withLogKeys((message: T) => ({ correlationId: correlationIdOf(message) }), handle), fifo);
}

/** An SQS consumer of shop events, each body the whole EventBridge event: an `sqsMessageHandler` of the types it accepts. */
export function sqsEventHandler<K extends DetailType>(
  options: ShopEventHandlerOptions<K>,
  handle: (event: ShopEventOf<K>) => Promise<void>,
): SqsBatchHandler {
  return sqsHandler(eventFromSqsRecord, shopEventRoute(options, handle), false);
}

/**
 * A Kinesis consumer of shop events, each record's data the whole EventBridge event, in order: the first failure stops
 * the batch and is its only batch item failure, so Lambda retries from it and nothing behind it is handled first.
 */
export function kinesisEventHandler<K extends DetailType>(
  options: ShopEventHandlerOptions<K>,
  handle: (event: ShopEventOf<K>) => Promise<void>,
): KinesisBatchHandler {
  const route = shopEventRoute(options, handle);
  return withLambdaContext((event: KinesisStreamEvent) => processKinesisBatch(event, (record) => route(eventFromKinesisRecord(record))));
}

/**
 * An EventBridge rule's Lambda target, invoked asynchronously with the whole event. A failure is logged (with the
 * event's ids, once it parsed) and thrown, so Lambda retries the invocation and then sends the event to the
 * on-failure destination.
 */
export function eventBridgeHandler<K extends DetailType>(
  options: ShopEventHandlerOptions<K>,
  handle: (event: ShopEventOf<K>) => Promise<void>,
): EventBridgeHandler {
  const route = shopEventRoute(options, handle);
  return withLambdaContext((delivery: unknown) =>
    logger.withScope(async () => {
      try {
        await route(parseEventBridgeEvent(delivery));
      } catch (error) {
        logger.error('event failed', errorAttributes(error));
        throw error;
      }
    }),
  );
}

/**
 * The Lambda context on every log line of the invocation. No early timeout (middy's default ends an invocation 5 ms
 * before Lambda would): a consumer that runs out of time ends as a Lambda timeout, as it did before this wrapper.
 */
function withLambdaContext<TEvent, TResult>(handler: (event: TEvent) => Promise<TResult>): (event: TEvent, context: Context) => Promise<TResult> {
  return middy<TEvent, TResult>(handler, { timeoutEarlyInMillis: 0 }).before((request) => {
    logger.addContext(request.context);
  });
}

function sqsHandler<T>(parse: (record: SQSRecord) => T, route: (message: T) => Promise<void>, fifo: boolean): SqsBatchHandler {
  return withLambdaContext((event: SQSEvent) => processSqsBatch(event, (record) => route(parse(record)), { fifo }));
}

/**
 * `handle` for a parsed shop event: its ids on the log lines, then the check of its type against `accepts`, then
 * `handle` itself.
 */
function shopEventRoute<K extends DetailType>(
  options: ShopEventHandlerOptions<K>,
  handle: (event: ShopEventOf<K>) => Promise<void>,
): (event: ShopEvent) => Promise<void> {
  return withLogKeys(eventLogKeys, (event) => handle(accepted(event, options.accepts)));
}

/**
 * `handle`, with `keysOf(message)` on every log line that follows until the record's log scope ends (the batch
 * processors give each record its own, `eventBridgeHandler` the invocation), the line of its failure included.
 */
function withLogKeys<T>(keysOf: (message: T) => LogAttributes, handle: (message: T) => Promise<void>): (message: T) => Promise<void> {
  return (message) => {
    logger.appendKeys(keysOf(message));
    return handle(message);
  };
}

/** What every line about a shop event carries. */
function eventLogKeys(event: ShopEvent): LogAttributes {
  const { correlationId, orderId, eventId } = event.detail;
  return { correlationId, orderId, eventId, detailType: event.detailType };
}

/** `event`, when its type is one of `accepts`; otherwise an `UnexpectedEventError`. */
function accepted<K extends DetailType>(event: ShopEvent, accepts: readonly K[]): ShopEventOf<K> {
  if (!(accepts as readonly DetailType[]).includes(event.detailType)) throw new UnexpectedEventError(event.detailType, accepts);
  return event as ShopEventOf<K>;
}
