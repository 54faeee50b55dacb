/**
 * CloudWatch API errors as both wire protocols carry them: JSON 1.0 names the error shape in `__type`
 * (`InvalidParameterValueException`) and, for query-compatible clients, its query code in the `x-amzn-query-error`
 * header (`InvalidParameterValue;Sender`); the query protocol puts the code in `<Error><Code>`.
 */

export class CloudWatchApiError extends Error {
  constructor(
    readonly status: number,
    /** The JSON protocol's error shape name. */
    readonly type: string,
    /** The query protocol's error code. */
    readonly code: string,
    message: string,
    readonly senderFault = true,
  ) {
    super(message);
    this.name = 'CloudWatchApiError';
  }

  static invalidParameterValue(message: string): CloudWatchApiError {
    return new CloudWatchApiError(400, 'InvalidParameterValueException', 'InvalidParameterValue', message);
  }

  static invalidParameterCombination(message: string): CloudWatchApiError {
    return new CloudWatchApiError(400, 'InvalidParameterCombinationException', 'InvalidParameterCombination', message);
  }

  static missingParameter(name: string): CloudWatchApiError {
    return new CloudWatchApiError(400, 'MissingRequiredParameterException', 'MissingParameter', `The parameter ${name} is required.`);
  }

  static invalidFormat(message: string): CloudWatchApiError {
    return new CloudWatchApiError(400, 'InvalidFormatFault', 'InvalidFormat', message);
  }

  static invalidNextToken(): CloudWatchApiError {
    return new CloudWatchApiError(400, 'InvalidNextToken', 'InvalidNextToken', 'The NextToken is not one this local CloudWatch gave out.');
  }

  static resourceNotFound(message: string): CloudWatchApiError {
    return new CloudWatchApiError(404, 'ResourceNotFound', 'ResourceNotFound', message);
  }

  static limitExceeded(message: string): CloudWatchApiError {
    return new CloudWatchApiError(400, 'LimitExceededFault', 'LimitExceeded', message);
  }

  static unknownOperation(operation: string, served: readonly string[]): CloudWatchApiError {
    return new CloudWatchApiError(
      400,
      'UnknownOperationException',
      'InvalidAction',
      `The local CloudWatch does not serve ${operation || '(no operation)'}: it serves ${served.join(', ')}; alarms come from the template`,
    );
  }

  static internal(message: string): CloudWatchApiError {
    return new CloudWatchApiError(500, 'InternalServiceFault', 'InternalServiceError', message, false);
  }
}
