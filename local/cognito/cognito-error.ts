/**
 * An error of the Cognito user pools API, as the AWS SDKs read it from a JSON-protocol answer: the `__type` names the
 * exception (`NotAuthorizedException`…), `message` says why, and the status is 400 for the caller's mistakes.
 */
export class CognitoError extends Error {
  public constructor(
    public readonly type: string,
    message: string,
    public readonly status = 400,
  ) {
    super(message);
    this.name = 'CognitoError';
  }

  public static notAuthorized(message = 'Incorrect username or password.'): CognitoError {
    return new CognitoError('NotAuthorizedException', message);
  }

  public static invalidParameter(message: string): CognitoError {
    return new CognitoError('InvalidParameterException', message);
  }

  public static userNotFound(): CognitoError {
    return new CognitoError('UserNotFoundException', 'User does not exist.');
  }

  public static resourceNotFound(message: string): CognitoError {
    return new CognitoError('ResourceNotFoundException', message);
  }

  public toJSON(): { __type: string; message: string } {
    return { __type: this.type, message: this.message };
  }
}
