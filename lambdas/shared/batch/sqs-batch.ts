import type { SQSBatchResponse, SQSEvent, SQSRecord } from 'aws-lambda';
import { InvalidEventError, parseEventBridgeEvent, type ShopEvent } from '../events/contracts';
import { logger } from '../logger';
import { recordFailed } from './record-failure';

export interface SqsBatchOptions {
  /**
   * The queue is FIFO: once a record of a message group fails, every later record of that group in the batch fails
   * too without being handled, so the group is retried in its order.
   * @default false
   */
  readonly fifo?: boolean;
}

/**
 * Handle each record of an SQS batch, one after the other, and report the failed ones as a partial batch response
 * (the event source mapping needs `ReportBatchItemFailures`): only they are retried, and after the queue's
 * `maxReceiveCount` they reach its DLQ. A record's failure is logged with its error and never thrown, so the good
 * records of the batch are not run again. Each record is a log scope: keys `handle` appends (`logger.appendKeys`)
 * are on its lines, the failure's included, and gone for the next record.
 */
export async function processSqsBatch(
  event: SQSEvent,
  handle: (record: SQSRecord) => Promise<void>,
  options: SqsBatchOptions = {},
): Promise<SQSBatchResponse> {
  const batchItemFailures: SQSBatchResponse['batchItemFailures'] = [];
  const failedGroups = new Set<string>();
  for (const record of event.Records) {
    const group = options.fifo === true ? (record.attributes.MessageGroupId ?? '') : undefined;
    if (group !== undefined && failedGroups.has(group)) {
      logger.warn('record not handled: an earlier record of its message group failed', {
        messageId: record.messageId,
        messageGroupId: group,
      });
      batchItemFailures.push({ itemIdentifier: record.messageId });
      continue;
    }
    const failed = await recordFailed(() => handle(record), 'record failed', {
      messageId: record.messageId,
      receiveCount: record.attributes.ApproximateReceiveCount,
      ...(group === undefined ? {} : { messageGroupId: group }),
    });
    if (failed) {
      batchItemFailures.push({ itemIdentifier: record.messageId });
      if (group !== undefined) failedGroups.add(group);
    }
  }
  return { batchItemFailures };
}

/** The shop event an SQS record carries: its body is the whole EventBridge event as JSON. Throws `InvalidEventError`. */
export function eventFromSqsRecord(record: SQSRecord): ShopEvent {
  let body: unknown;
  try {
    body = JSON.parse(record.body);
  } catch (error) {
    throw new InvalidEventError(`SQS message ${record.messageId} is not an event`, [{ field: 'body', message: 'is not valid JSON' }], {
      cause: error,
    });
  }
  return parseEventBridgeEvent(body);
}
