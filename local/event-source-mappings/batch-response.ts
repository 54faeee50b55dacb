/**
 * A function's partial batch response (`FunctionResponseTypes: ['ReportBatchItemFailures']`), read as Lambda reads
 * it for SQS and for Kinesis: `{ batchItemFailures: [{ itemIdentifier }] }` names the failed records (message ids,
 * or sequence numbers).
 *
 * A complete success: a null response, an empty object, a null or empty `batchItemFailures`. A complete failure
 * (`invalid`): a response that is not an object, `batchItemFailures` that is not a list, an item without a string
 * `itemIdentifier` (null, empty, misspelt key) or with one that is not in the batch.
 */
export type BatchResponse =
  | { readonly kind: 'success' }
  | { readonly kind: 'partial'; readonly failedIds: readonly string[] }
  | { readonly kind: 'invalid'; readonly reason: string };

export function parseBatchResponse(payload: string, batchIds: ReadonlySet<string>): BatchResponse {
  let response: unknown;
  try {
    response = JSON.parse(payload);
  } catch {
    return { kind: 'invalid', reason: 'the response is not JSON' };
  }
  if (response === null) return { kind: 'success' };
  if (typeof response !== 'object' || Array.isArray(response)) return { kind: 'invalid', reason: 'the response is not an object' };
  const failures = (response as { batchItemFailures?: unknown }).batchItemFailures;
  if (failures === undefined || failures === null) return { kind: 'success' };
  if (!Array.isArray(failures)) return { kind: 'invalid', reason: 'batchItemFailures is not a list' };
  const failedIds: string[] = [];
  for (const failure of failures) {
    const id = typeof failure === 'object' && failure !== null ? (failure as { itemIdentifier?: unknown }).itemIdentifier : undefined;
    if (typeof id !== 'string' || id === '') return { kind: 'invalid', reason: 'an item of batchItemFailures has no itemIdentifier' };
    if (!batchIds.has(id)) return { kind: 'invalid', reason: `itemIdentifier ${id} is not in the batch` };
    if (!failedIds.includes(id)) failedIds.push(id);
  }
  return failedIds.length === 0 ? { kind: 'success' } : { kind: 'partial', failedIds };
}
