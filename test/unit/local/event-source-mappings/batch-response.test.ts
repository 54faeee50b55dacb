import { parseBatchResponse } from '../../../../local/event-source-mappings/batch-response';

describe('parseBatchResponse', () => {
  const batch = new Set(['m-1', 'm-2', 'm-3']);

  it.each([
    ['a null response', 'null'],
    ['an empty object', '{}'],
    ['a null list', '{"batchItemFailures":null}'],
    ['an empty list', '{"batchItemFailures":[]}'],
  ])('treats %s as a complete success', (_what, payload) => {
    expect(parseBatchResponse(payload, batch)).toEqual({ kind: 'success' });
  });

  it('names the reported items of a partial failure, once each', () => {
    expect(parseBatchResponse('{"batchItemFailures":[{"itemIdentifier":"m-3"},{"itemIdentifier":"m-1"},{"itemIdentifier":"m-3"}]}', batch)).toEqual({
      kind: 'partial',
      failedIds: ['m-3', 'm-1'],
    });
  });

  it.each([
    ['a response that is not an object', '"ok"', 'the response is not an object'],
    ['batchItemFailures that is not a list', '{"batchItemFailures":"m-1"}', 'batchItemFailures is not a list'],
    ['an empty itemIdentifier', '{"batchItemFailures":[{"itemIdentifier":""}]}', 'an item of batchItemFailures has no itemIdentifier'],
    ['a null itemIdentifier', '{"batchItemFailures":[{"itemIdentifier":null}]}', 'an item of batchItemFailures has no itemIdentifier'],
    ['a misspelt key', '{"batchItemFailures":[{"itemId":"m-1"}]}', 'an item of batchItemFailures has no itemIdentifier'],
    ['an identifier that is not in the batch', '{"batchItemFailures":[{"itemIdentifier":"m-9"}]}', 'itemIdentifier m-9 is not in the batch'],
  ])('rejects %s as a complete failure', (_what, payload, reason) => {
    expect(parseBatchResponse(payload, batch)).toEqual({ kind: 'invalid', reason });
  });
});
