/**
 * How Lambda handles a function's asynchronous invocations, from the template: AWS::Lambda::EventInvokeConfig
 * (MaximumRetryAttempts, MaximumEventAgeInSeconds, DestinationConfig OnSuccess / OnFailure) and the function's own
 * DeadLetterConfig.TargetArn. A function without them gets Lambda's defaults: 2 retries within 6 hours, no
 * destination.
 */
import type { CfnTemplate } from '../assembly/cloud-assembly';
import type { LambdaFunctionConfig } from './function-config';
import type { ValueResolver } from '../assembly/template-refs';
import { resourcesOfType } from '../assembly/template-refs';

export interface AsyncInvokeConfig {
  /** Retries after a function error, 0 to 2. */
  readonly maximumRetryAttempts: number;
  /** How long Lambda keeps trying an event, 60 to 21600 seconds. */
  readonly maximumEventAgeSeconds: number;
  /** Destination ARN (SQS queue, SNS topic, function, event bus) of successful invocations. */
  readonly onSuccess?: string;
  /** Destination ARN of events that failed every attempt or aged out. */
  readonly onFailure?: string;
  /** The function's dead-letter queue (used when there is no on-failure destination). */
  readonly deadLetterArn?: string;
}

/** Lambda's defaults for asynchronous invocation. */
export const DEFAULT_ASYNC_INVOKE_CONFIG: AsyncInvokeConfig = { maximumRetryAttempts: 2, maximumEventAgeSeconds: 21_600 };

/** The asynchronous invocation settings of each function, by logical id (functions without any get none). */
export function readAsyncInvokeConfigs(source: {
  readonly template: CfnTemplate;
  readonly resolver: ValueResolver;
  readonly functions: readonly LambdaFunctionConfig[];
}): { configs: Map<string, AsyncInvokeConfig>; warnings: string[] } {
  const configs = new Map<string, AsyncInvokeConfig>();
  const warnings: string[] = [];
  const byNameOrArn = (ref: string) => source.functions.find((fn) => fn.functionName === ref || fn.arn === ref || ref.startsWith(`${fn.arn}:`));

  for (const fn of source.functions) {
    const props = source.template.Resources[fn.logicalId]?.Properties ?? {};
    const deadLetter = (props.DeadLetterConfig ?? {}) as Record<string, unknown>;
    if (deadLetter.TargetArn === undefined) continue;
    try {
      configs.set(fn.logicalId, { ...DEFAULT_ASYNC_INVOKE_CONFIG, deadLetterArn: source.resolver.resolveString(deadLetter.TargetArn) });
    } catch (error) {
      warnings.push(`function ${fn.logicalId}: DeadLetterConfig left out: ${(error as Error).message}`);
    }
  }

  for (const [logicalId, props] of resourcesOfType(source.template, 'AWS::Lambda::EventInvokeConfig')) {
    try {
      const functionRef = source.resolver.resolveString(props.FunctionName);
      const fn = byNameOrArn(functionRef);
      if (!fn) {
        warnings.push(`${logicalId}: function ${functionRef} is not run locally`);
        continue;
      }
      const destinations = (props.DestinationConfig ?? {}) as Record<string, Record<string, unknown> | undefined>;
      const destination = (which: 'OnSuccess' | 'OnFailure') => {
        const value = destinations[which]?.Destination;
        return value === undefined ? undefined : source.resolver.resolveString(value);
      };
      const onSuccess = destination('OnSuccess');
      const onFailure = destination('OnFailure');
      const previous = configs.get(fn.logicalId);
      configs.set(fn.logicalId, {
        maximumRetryAttempts: numberOr(source.resolver.resolve(props.MaximumRetryAttempts), DEFAULT_ASYNC_INVOKE_CONFIG.maximumRetryAttempts),
        maximumEventAgeSeconds: numberOr(source.resolver.resolve(props.MaximumEventAgeInSeconds), DEFAULT_ASYNC_INVOKE_CONFIG.maximumEventAgeSeconds),
        ...(onSuccess ? { onSuccess } : {}),
        ...(onFailure ? { onFailure } : {}),
        ...(previous?.deadLetterArn ? { deadLetterArn: previous.deadLetterArn } : {}),
      });
    } catch (error) {
      warnings.push(`${logicalId} left out: ${(error as Error).message}`);
    }
  }
  return { configs, warnings };
}

function numberOr(value: unknown, fallback: number): number {
  const n = typeof value === 'string' ? Number(value) : value;
  return typeof n === 'number' && Number.isFinite(n) ? n : fallback;
}
