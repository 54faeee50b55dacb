import { faultFields } from '../shared/fault-fields';
import { InvalidPutEventsFaultError } from './eventbridge-errors';

/**
 * A fault injected into PutEvents: chosen entries fail with a per-entry error (FailedEntryCount > 0) while the rest
 * of the request succeeds — the partial failure a publisher must detect instead of ignoring.
 */
export interface PutEventsFault {
  /** How many entries of each affected request fail (the first ones that qualify). */
  readonly failEntries: number;
  /**
   * Only entries with this detail-type qualify.
   *
   * @default - every entry qualifies
   */
  readonly detailType?: string;
  /**
   * How many PutEvents requests the fault affects before it clears itself.
   *
   * @default - every request until the fault is cleared
   */
  readonly requests?: number;
  /**
   * The failed entries' ErrorCode.
   *
   * @default 'InternalFailure'
   */
  readonly errorCode?: string;
}

const FIELDS = ['failEntries', 'detailType', 'requests', 'errorCode'];

/** Checks a fault (from code or from a JSON body); throws InvalidPutEventsFaultError naming every problem. */
export function parsePutEventsFault(value: unknown): PutEventsFault {
  const { fields, problems } = faultFields(value, FIELDS, '{"failEntries": 1}', InvalidPutEventsFaultError);
  const { failEntries, detailType, requests, errorCode } = fields;
  const positiveInteger = (n: unknown) => typeof n === 'number' && Number.isInteger(n) && n >= 1;
  if (!positiveInteger(failEntries) || (failEntries as number) > 10) {
    problems.push(`failEntries is ${JSON.stringify(failEntries)}: give a whole number from 1 to 10`);
  }
  if (detailType !== undefined && (typeof detailType !== 'string' || detailType === '')) {
    problems.push(`detailType is ${JSON.stringify(detailType)}: give a detail-type such as "OrderPlaced"`);
  }
  if (requests !== undefined && !positiveInteger(requests)) problems.push(`requests is ${JSON.stringify(requests)}: give a whole number from 1`);
  if (errorCode !== undefined && (typeof errorCode !== 'string' || errorCode === '')) {
    problems.push(`errorCode is ${JSON.stringify(errorCode)}: give an error code such as "InternalFailure"`);
  }
  if (problems.length > 0) throw new InvalidPutEventsFaultError(problems);
  return {
    failEntries: failEntries as number,
    ...(detailType !== undefined ? { detailType: detailType as string } : {}),
    ...(requests !== undefined ? { requests: requests as number } : {}),
    ...(errorCode !== undefined ? { errorCode: errorCode as string } : {}),
  };
}
