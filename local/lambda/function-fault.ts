import { faultFields } from '../shared/fault-fields';
import { InvalidFaultError, LambdaErrorPayload } from './lambda-errors';

/**
 * A fault injected into one function's invocations, after AWS FIS's Lambda actions
 * `aws:lambda:invocation-add-delay` (delay) and `aws:lambda:invocation-error` (error).
 */
export interface FunctionFault {
  /**
   * Milliseconds added before the handler runs. The delay counts towards the function's duration and
   * timeout, as FIS's startup delay does: a delay longer than the timeout times the invocation out.
   *
   * @default - no delay
   */
  readonly delayMs?: number;
  /**
   * Fail the invocation with a function error without running the handler (FIS's `preventExecution`).
   *
   * @default false
   */
  readonly error?: boolean;
  /**
   * Share of invocations, 0 to 100, the fault applies to (FIS's `invocationPercentage`).
   *
   * @default 100
   */
  readonly percentage?: number;
}

/** What one invocation gets from the fault: drawn once per invocation. */
export interface FaultDraw {
  readonly delayMs: number;
  readonly error: boolean;
}

/** The function error an injected `error` fault produces. */
export const INJECTED_ERROR: LambdaErrorPayload = {
  errorType: 'FaultInjection.InvocationError',
  errorMessage: 'Injected fault (aws:lambda:invocation-error): the invocation failed without running the handler',
  trace: [],
};

const FIELDS = ['delayMs', 'error', 'percentage'];

/** Checks a fault (from code or from a JSON body); throws InvalidFaultError naming every problem. */
export function parseFault(value: unknown): FunctionFault {
  const { fields, problems } = faultFields(value, FIELDS, '{"delayMs": 1500} or {"error": true, "percentage": 50}', InvalidFaultError);
  const { delayMs, error, percentage } = fields;
  if (delayMs !== undefined && !(typeof delayMs === 'number' && Number.isInteger(delayMs) && delayMs >= 0 && delayMs <= 900_000)) {
    problems.push(`delayMs is ${JSON.stringify(delayMs)}: give whole milliseconds from 0 to 900000`);
  }
  if (error !== undefined && typeof error !== 'boolean') {
    problems.push(`error is ${JSON.stringify(error)}: give true or false`);
  }
  if (percentage !== undefined && !(typeof percentage === 'number' && percentage >= 0 && percentage <= 100)) {
    problems.push(`percentage is ${JSON.stringify(percentage)}: give a number from 0 to 100`);
  }
  if (delayMs === undefined && error !== true && problems.length === 0) {
    problems.push('the fault does nothing: give delayMs and/or "error": true (DELETE clears a fault)');
  }
  if (problems.length > 0) throw new InvalidFaultError(problems);
  return {
    ...(delayMs !== undefined ? { delayMs: delayMs as number } : {}),
    ...(error !== undefined ? { error: error as boolean } : {}),
    ...(percentage !== undefined ? { percentage: percentage as number } : {}),
  };
}

/** Decides whether this invocation is hit; `random` returns a number in [0, 1). */
export function drawFault(fault: FunctionFault | undefined, random: () => number = Math.random): FaultDraw {
  if (!fault) return { delayMs: 0, error: false };
  const hit = random() * 100 < (fault.percentage ?? 100);
  return hit ? { delayMs: fault.delayMs ?? 0, error: fault.error ?? false } : { delayMs: 0, error: false };
}
