/**
 * The names of the Kinesis backends the runtime can run (`kinesis-backend.ts`), apart from the backends themselves, so
 * that the command line can read `--kinesis` / `LOCAL_KINESIS` without loading the AWS SDK.
 */
export const KINESIS_BACKENDS = ['in-process', 'kinesis-local'] as const;
export type KinesisBackendName = (typeof KINESIS_BACKENDS)[number];
export const DEFAULT_KINESIS_BACKEND: KinesisBackendName = 'in-process';

/** A Kinesis backend name that is not one. */
export class UnknownKinesisBackendError extends Error {
  constructor(value: string, source: string) {
    super(`${source} is '${value}': give ${KINESIS_BACKENDS.join(' or ')}`);
    this.name = 'UnknownKinesisBackendError';
  }
}

/** `value` as a backend name; `source` (a flag, a variable) names it in the error. */
export function kinesisBackendNamed(value: string, source: string): KinesisBackendName {
  const found = KINESIS_BACKENDS.find((name) => name === value);
  if (found === undefined) throw new UnknownKinesisBackendError(value, source);
  return found;
}

/** The backend `LOCAL_KINESIS` names, or the default when it is unset or empty. */
export function kinesisBackendFromEnv(env: NodeJS.ProcessEnv): KinesisBackendName {
  const value = env.LOCAL_KINESIS;
  return value === undefined || value === '' ? DEFAULT_KINESIS_BACKEND : kinesisBackendNamed(value, 'LOCAL_KINESIS');
}
