import type { LogAttributes } from '../logger';

/** An error as log attributes (name, message, stack, cause), for records logged with their identifiers. */
export function errorAttributes(error: unknown): LogAttributes {
  if (!(error instanceof Error)) return { error: { message: String(error) } };
  return {
    error: {
      name: error.name,
      message: error.message,
      stack: error.stack,
      ...(error.cause === undefined ? {} : { cause: error.cause instanceof Error ? `${error.cause.name}: ${error.cause.message}` : String(error.cause) }),
    },
  };
}
