import type { Context } from 'aws-lambda';
import { requireEnv } from './env';

/**
 * A structured JSON logger that writes the record shape of Powertools for AWS Lambda's Logger (`level`, `message`,
 * `timestamp`, `service`, `cold_start`, `function_*`, `xray_trace_id`, then the extra keys) and reads the same
 * variables: `POWERTOOLS_SERVICE_NAME` (required: a function without it fails at cold start), `POWERTOOLS_LOG_LEVEL`,
 * else `AWS_LAMBDA_LOG_LEVEL`.
 *
 * Written here rather than imported because the Powertools Logger costs 21 KB of minified bundle, and the
 * orders functions only fit the 250 KB bundle budget without it (see the bundle sizes in the handover notes).
 */

export type LogLevel = 'DEBUG' | 'INFO' | 'WARN' | 'ERROR';

const THRESHOLDS: Record<string, number> = { DEBUG: 8, INFO: 12, WARN: 16, ERROR: 20, CRITICAL: 24, SILENT: 28 };

export type LogAttributes = Record<string, unknown>;

export interface StructuredLoggerOptions {
  /** @default - `POWERTOOLS_SERVICE_NAME`, which must then be set */
  readonly serviceName?: string;
  /** DEBUG, INFO, WARN, ERROR, CRITICAL or SILENT. @default - `POWERTOOLS_LOG_LEVEL`, else `AWS_LAMBDA_LOG_LEVEL`, else INFO */
  readonly logLevel?: string;
  /** Where each JSON line goes. @default - standard output, which Lambda sends to CloudWatch Logs */
  readonly write?: (line: string) => void;
}

/** An error as a log attribute: what a reader needs to find the fault, its cause chain included. */
function serializeError(error: Error): LogAttributes {
  return {
    name: error.name,
    message: error.message,
    stack: error.stack,
    ...(error.cause === undefined ? {} : { cause: error.cause instanceof Error ? serializeError(error.cause) : error.cause }),
    ...(error instanceof AggregateError ? { errors: error.errors.map((e) => (e instanceof Error ? serializeError(e) : e)) } : {}),
  };
}

export class StructuredLogger {
  private readonly serviceName: string;
  private readonly threshold: number;
  private readonly write: (line: string) => void;
  private lambdaContext: LogAttributes = {};
  private keys: LogAttributes = {};
  private coldStart = true;

  constructor(options: StructuredLoggerOptions = {}) {
    this.serviceName = options.serviceName ?? requireEnv('POWERTOOLS_SERVICE_NAME');
    const level = (options.logLevel ?? (process.env.POWERTOOLS_LOG_LEVEL || process.env.AWS_LAMBDA_LOG_LEVEL || 'INFO')).toUpperCase();
    this.threshold = THRESHOLDS[level] ?? THRESHOLDS.INFO;
    this.write = options.write ?? ((line) => process.stdout.write(`${line}\n`));
  }

  /** Add the invocation's Lambda context to every record that follows; the first invocation is the cold start. */
  addContext(context: Context): void {
    this.lambdaContext = {
      cold_start: this.coldStart,
      function_arn: context.invokedFunctionArn,
      function_memory_size: context.memoryLimitInMB,
      function_name: context.functionName,
      function_request_id: context.awsRequestId,
    };
    this.coldStart = false;
  }

  /** Add `keys` to every record that follows, until the scope they were added in ends (`withScope`). */
  appendKeys(keys: LogAttributes): void {
    this.keys = { ...this.keys, ...keys };
  }

  /** Run `work`; the keys appended while it runs are gone when it ends, however it ends. */
  async withScope<T>(work: () => Promise<T>): Promise<T> {
    const outer = this.keys;
    try {
      return await work();
    } finally {
      this.keys = outer;
    }
  }

  debug(message: string, extra?: LogAttributes | Error): void {
    this.log('DEBUG', message, extra);
  }

  info(message: string, extra?: LogAttributes | Error): void {
    this.log('INFO', message, extra);
  }

  warn(message: string, extra?: LogAttributes | Error): void {
    this.log('WARN', message, extra);
  }

  /** An `Error` passed as `extra` is logged under `error` with its stack. */
  error(message: string, extra?: LogAttributes | Error): void {
    this.log('ERROR', message, extra);
  }

  private log(level: LogLevel, message: string, extra: LogAttributes | Error | undefined): void {
    if (THRESHOLDS[level] < this.threshold) return;
    const record = {
      level,
      message,
      timestamp: new Date().toISOString(),
      service: this.serviceName,
      ...this.lambdaContext,
      xray_trace_id: process.env._X_AMZN_TRACE_ID?.match(/Root=([^;]+)/)?.[1],
      ...this.keys,
      ...(extra instanceof Error ? { error: serializeError(extra) } : extra),
    };
    this.write(JSON.stringify(record));
  }
}

/** The function's one logger. */
export const logger = new StructuredLogger();
