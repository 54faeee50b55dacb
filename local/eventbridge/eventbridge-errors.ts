/**
 * An EventBridge API error as AWS answers it over JSON 1.1: HTTP status, `__type` and message
 * (`ResourceNotFoundException`, `ValidationException`, `InvalidEventPatternException`…).
 */
export class EventBridgeApiError extends Error {
  public constructor(
    public readonly errorType: string,
    message: string,
    public readonly status = 400,
  ) {
    super(message);
    this.name = 'EventBridgeApiError';
  }

  public static notFound(message: string): EventBridgeApiError {
    return new EventBridgeApiError('ResourceNotFoundException', message);
  }

  public static validation(message: string): EventBridgeApiError {
    return new EventBridgeApiError('ValidationException', message);
  }
}

/** A fault given to `putEventsFault` (or POSTed to `/_local/eventbridge/faults`) that makes no sense. */
export class InvalidPutEventsFaultError extends Error {
  public constructor(public readonly problems: readonly string[]) {
    super(`Invalid PutEvents fault: ${problems.join('; ')}`);
    this.name = 'InvalidPutEventsFaultError';
  }
}

/**
 * A delivery to a target failed. `code` is what EventBridge writes to the DLQ message's ERROR_CODE attribute;
 * a failure that cannot heal by itself (the target does not exist) is not retried, as EventBridge does not.
 */
export class TargetDeliveryError extends Error {
  public constructor(
    public readonly code: 'RESOURCE_NOT_FOUND' | 'SDK_CLIENT_ERROR' | 'THROTTLING' | 'UNSUPPORTED_TARGET',
    message: string,
    public readonly retryable: boolean,
  ) {
    super(message);
    this.name = 'TargetDeliveryError';
  }
}
