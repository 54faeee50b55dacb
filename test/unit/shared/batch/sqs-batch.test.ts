import '../../support/quiet-env';
import type { SQSRecord } from 'aws-lambda';
import { eventFromSqsRecord, processSqsBatch } from '../../../../lambdas/shared/batch/sqs-batch';
import { InvalidEventError } from '../../../../lambdas/shared/events/contracts';
import { logger } from '../../../../lambdas/shared/logger';
import { anEvent } from '../../factories/events';
import { sqsEvent, sqsRecord, sqsRecordOf } from '../../factories/sqs-event';

afterEach(() => jest.restoreAllMocks());

/** A handler that fails the records whose body is in `failing`, and records what it handled. */
function handlerFailing(...failing: string[]) {
  const handled: string[] = [];
  const handle = async (record: SQSRecord) => {
    handled.push(record.body);
    if (failing.includes(record.body)) throw new Error(`cannot handle ${record.body}`);
  };
  return { handled, handle };
}

describe('processSqsBatch', () => {
  it('reports no failures when every record is handled', async () => {
    const { handle, handled } = handlerFailing();

    const response = await processSqsBatch(sqsEvent(sqsRecord('a'), sqsRecord('b')), handle);

    expect(response).toEqual({ batchItemFailures: [] });
    expect(handled).toEqual(['a', 'b']);
  });

  it('reports only the failed records, handles the rest, and logs each failure with its error', async () => {
    // Prepare
    const error = jest.spyOn(logger, 'error');
    const { handle, handled } = handlerFailing('b', 'd');
    const records = ['a', 'b', 'c', 'd'].map((body) => sqsRecord(body));

    // Act
    const response = await processSqsBatch(sqsEvent(...records), handle);

    // Assess
    expect(response.batchItemFailures).toEqual([{ itemIdentifier: records[1]?.messageId }, { itemIdentifier: records[3]?.messageId }]);
    expect(handled).toEqual(['a', 'b', 'c', 'd']);
    expect(error).toHaveBeenCalledTimes(2);
    expect(error).toHaveBeenCalledWith('record failed', expect.objectContaining({
      messageId: records[1]?.messageId,
      error: expect.objectContaining({ message: 'cannot handle b', stack: expect.any(String) }),
    }));
  });

  it('with fifo, fails every later record of a failed message group without handling it, and keeps other groups flowing', async () => {
    // Prepare: group A fails on its second message; group B is fine
    const { handle, handled } = handlerFailing('a2');
    const records = [
      sqsRecord('a1', { messageGroupId: 'A' }),
      sqsRecord('b1', { messageGroupId: 'B' }),
      sqsRecord('a2', { messageGroupId: 'A' }),
      sqsRecord('b2', { messageGroupId: 'B' }),
      sqsRecord('a3', { messageGroupId: 'A' }),
    ];

    // Act
    const response = await processSqsBatch(sqsEvent(...records), handle, { fifo: true });

    // Assess
    expect(handled).toEqual(['a1', 'b1', 'a2', 'b2']);
    expect(response.batchItemFailures.map((failure) => failure.itemIdentifier)).toEqual([records[2]?.messageId, records[4]?.messageId]);
  });

  it('without fifo, handles later records of the same group after a failure', async () => {
    const { handle, handled } = handlerFailing('a1');

    await processSqsBatch(sqsEvent(sqsRecord('a1', { messageGroupId: 'A' }), sqsRecord('a2', { messageGroupId: 'A' })), handle);

    expect(handled).toEqual(['a1', 'a2']);
  });

  it('reports a record that throws something other than an Error', async () => {
    const record = sqsRecord('x');

    const response = await processSqsBatch(sqsEvent(record), async () => {
      throw 'a string';
    });

    expect(response.batchItemFailures).toEqual([{ itemIdentifier: record.messageId }]);
  });
});

describe('eventFromSqsRecord', () => {
  it('parses the EventBridge event in the body', () => {
    const event = anEvent('StockReserved');

    expect(eventFromSqsRecord(sqsRecordOf(event))).toEqual(event);
  });

  it('rejects a body that is not JSON naming body', () => {
    expect(() => eventFromSqsRecord(sqsRecord('{not json'))).toThrow(expect.objectContaining({ name: 'InvalidEventError', field: 'body' }));
  });

  it('rejects an event that breaks its contract', () => {
    const event = anEvent('StockReserved');
    const body = { source: event.source, 'detail-type': event.detailType, detail: { ...event.detail, version: 0 } };

    expect(() => eventFromSqsRecord(sqsRecord(body))).toThrow(InvalidEventError);
  });
});
