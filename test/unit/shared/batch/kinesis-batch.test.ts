import '../../support/quiet-env';
import type { KinesisStreamRecord } from 'aws-lambda';
import { eventFromKinesisRecord, processKinesisBatch } from '../../../../lambdas/shared/batch/kinesis-batch';
import { logger } from '../../../../lambdas/shared/logger';
import { anEvent } from '../../factories/events';
import { kinesisEvent, kinesisRecord, kinesisRecordOf } from '../../factories/kinesis-event';

afterEach(() => jest.restoreAllMocks());

const payloadOf = (record: KinesisStreamRecord) => Buffer.from(record.kinesis.data, 'base64').toString('utf8');

describe('processKinesisBatch', () => {
  it('handles every record in order and reports no failure', async () => {
    const handled: string[] = [];
    const records = ['r1', 'r2', 'r3'].map((payload) => kinesisRecord(payload));

    const response = await processKinesisBatch(kinesisEvent(...records), async (record) => {
      handled.push(payloadOf(record));
    });

    expect(response).toEqual({ batchItemFailures: [] });
    expect(handled).toEqual(['r1', 'r2', 'r3']);
  });

  it('stops at the first failure and reports its sequence number only, so nothing after it runs out of order', async () => {
    // Prepare
    const error = jest.spyOn(logger, 'error');
    const handled: string[] = [];
    const records = ['r1', 'r2', 'r3', 'r4'].map((payload) => kinesisRecord(payload));

    // Act
    const response = await processKinesisBatch(kinesisEvent(...records), async (record) => {
      handled.push(payloadOf(record));
      if (payloadOf(record) === 'r2' || payloadOf(record) === 'r4') throw new Error('poison');
    });

    // Assess
    expect(handled).toEqual(['r1', 'r2']);
    expect(response).toEqual({ batchItemFailures: [{ itemIdentifier: records[1]?.kinesis.sequenceNumber }] });
    expect(error).toHaveBeenCalledWith('record failed; the batch stops here', expect.objectContaining({
      sequenceNumber: records[1]?.kinesis.sequenceNumber,
      notProcessed: 3,
      error: expect.objectContaining({ message: 'poison' }),
    }));
  });
});

describe('eventFromKinesisRecord', () => {
  it('parses the base64 EventBridge event in the data', () => {
    const event = anEvent('PaymentRefunded');

    expect(eventFromKinesisRecord(kinesisRecordOf(event))).toEqual(event);
  });

  it('rejects data that is not JSON naming data', () => {
    expect(() => eventFromKinesisRecord(kinesisRecord('\u0000garbage'))).toThrow(expect.objectContaining({ name: 'InvalidEventError', field: 'data' }));
  });
});
