import type { CancellationReason } from '@aws-sdk/client-dynamodb';
import { unmarshall } from '@aws-sdk/util-dynamodb';

/** A cancelled transaction's reasons, one per item in request order, with `Item` unmarshalled. */
export interface TransactionCancellation {
  readonly reasons: readonly { readonly code: string; readonly item?: Record<string, unknown> }[];
}

/**
 * The reasons of a `TransactionCanceledException`, or undefined for any other error. The document client does not
 * unmarshall errors, so each reason's `Item` arrives as raw attribute values and is unmarshalled here.
 */
export function transactionCancellation(error: unknown): TransactionCancellation | undefined {
  if (!(error instanceof Error) || error.name !== 'TransactionCanceledException') return undefined;
  const reasons = (error as { CancellationReasons?: CancellationReason[] }).CancellationReasons ?? [];
  return {
    reasons: reasons.map((reason) => ({
      code: reason.Code ?? 'None',
      ...(reason.Item === undefined ? {} : { item: unmarshall(reason.Item) }),
    })),
  };
}

/** True for the `ConditionalCheckFailedException` of a single conditional write. */
function isConditionalCheckFailed(error: unknown): boolean {
  return error instanceof Error && error.name === 'ConditionalCheckFailedException';
}

/** Await a conditional write: true when it was applied, false when its condition failed; any other error throws. */
export async function conditionalWrite(write: Promise<unknown>): Promise<boolean> {
  try {
    await write;
    return true;
  } catch (error) {
    if (isConditionalCheckFailed(error)) return false;
    throw error;
  }
}
