import type { KinesisStreamBatchResponse, KinesisStreamEvent, KinesisStreamRecord } from 'aws-lambda';
import { InvalidEventError, parseEventBridgeEvent, type ShopEvent } from '../events/contracts';
import { recordFailed } from './record-failure';

/**
 * Handle a Kinesis batch in order and stop at the first failure, reporting its sequence number as the only batch
 * item failure (the event source mapping needs `ReportBatchItemFailures`): Lambda retries from that record, so no
 * record after it is processed before it — out of order — and none before it is processed twice. With bisect on
 * error, a poison record ends up alone and goes to the on-failure destination once its retries are spent, while
 * the records behind it keep flowing. The failure is logged with its error, never thrown. Each record is a log
 * scope: keys `handle` appends (`logger.appendKeys`) are on its lines, the failure's included, and gone for the next.
 */
export async function processKinesisBatch(
  event: KinesisStreamEvent,
  handle: (record: KinesisStreamRecord) => Promise<void>,
): Promise<KinesisStreamBatchResponse> {
  for (const [index, record] of event.Records.entries()) {
    const failed = await recordFailed(() => handle(record), 'record failed; the batch stops here', {
      sequenceNumber: record.kinesis.sequenceNumber,
      partitionKey: record.kinesis.partitionKey,
      eventSourceARN: record.eventSourceARN,
      notProcessed: event.Records.length - index,
    });
    if (failed) return { batchItemFailures: [{ itemIdentifier: record.kinesis.sequenceNumber }] };
  }
  return { batchItemFailures: [] };
}

/** The shop event a Kinesis record carries: its data is the base64 of the whole EventBridge event as JSON. */
export function eventFromKinesisRecord(record: KinesisStreamRecord): ShopEvent {
  let body: unknown;
  try {
    body = JSON.parse(Buffer.from(record.kinesis.data, 'base64').toString('utf8'));
  } catch (error) {
    throw new InvalidEventError(`Kinesis record ${record.kinesis.sequenceNumber} is not an event`, [{ field: 'data', message: 'is not base64 of valid JSON' }], {
      cause: error,
    });
  }
  return parseEventBridgeEvent(body);
}
