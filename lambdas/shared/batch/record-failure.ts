import { type LogAttributes, logger } from '../logger';

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

/**
 * Handle one record in a log scope of its own (`logger.withScope`). When `handle` throws, the failure is logged in
 * that scope as `message`, with the record's `identifiers` and the error, so the keys the handler appended for the
 * record are on that line too. Answers whether the record failed; never throws.
 */
export function recordFailed(handle: () => Promise<void>, message: string, identifiers: LogAttributes): Promise<boolean> {
  return logger.withScope(async () => {
    try {
      await handle();
      return false;
    } catch (error) {
      logger.error(message, { ...identifiers, ...errorAttributes(error) });
      return true;
    }
  });
}
