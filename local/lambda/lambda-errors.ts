/** The error payload Lambda returns for a function error: `{ errorType, errorMessage, trace }`. */
export interface LambdaErrorPayload {
  readonly errorType: string;
  readonly errorMessage: string;
  readonly trace?: readonly string[];
}

/** Why Lambda throttled: the function's reserved concurrency, or the account's (Lambda's `Reason`). */
export type ThrottleReason = 'ReservedFunctionConcurrentInvocationLimitExceeded' | 'ConcurrentInvocationLimitExceeded';

/**
 * Lambda refused the invocation because the function's concurrency is exhausted (HTTP 429 from the Invoke API).
 * The function never ran, so it is not counted as an invocation.
 */
export class TooManyRequestsError extends Error {
  public readonly errorType = 'TooManyRequestsException';

  public constructor(
    public readonly functionName: string,
    public readonly concurrencyLimit: number,
    public readonly reason: ThrottleReason = 'ReservedFunctionConcurrentInvocationLimitExceeded',
    detail?: string,
  ) {
    const limit = reason === 'ReservedFunctionConcurrentInvocationLimitExceeded' ? 'its reserved concurrency' : "the account's concurrency";
    super(detail ?? `Rate Exceeded. ${functionName} already has ${concurrencyLimit} invocations in flight (${limit}).`);
    this.name = 'TooManyRequestsError';
  }
}

/** No function of the local runtime answers to this logical id, name, short name or ARN. */
export class UnknownFunctionError extends Error {
  public constructor(
    public readonly functionRef: string,
    public readonly known: readonly string[],
  ) {
    super(`Function not found: ${functionRef}. Known functions: ${known.join(', ') || '(none)'}`);
    this.name = 'UnknownFunctionError';
  }
}

/** A fault given to `setFault` (or POSTed to `/_local/faults/{fn}`) that makes no sense. */
export class InvalidFaultError extends Error {
  public constructor(public readonly problems: readonly string[]) {
    super(`Invalid fault: ${problems.join('; ')}`);
    this.name = 'InvalidFaultError';
  }
}
