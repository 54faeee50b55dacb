/**
 * The errors a request can end in. Each class is one kind of answer; `problem-response.ts` maps them to HTTP status
 * codes in one place, so code that throws them never picks a status itself.
 */

/** One offending input, named the way the client spelled it: `lines[0].quantity`, `Idempotency-Key`, `sku`. */
export interface FieldError {
  readonly field: string;
  readonly message: string;
  /** Units still available, on out-of-stock errors. */
  readonly available?: number;
}

export interface ProblemOptions {
  /** The inputs at fault. @default - the problem names no field */
  readonly errors?: readonly FieldError[];
  /** Short problem-type slug, appended to the problem-type base URI. @default - the class's own slug */
  readonly type?: string;
  /** The underlying failure, kept for the logs. @default - no cause */
  readonly cause?: unknown;
}

/** Base of every error that is answered as an `application/problem+json` document. */
export abstract class ProblemError extends Error {
  readonly errors?: readonly FieldError[];
  readonly type: string;

  protected constructor(detail: string, defaultType: string, options: ProblemOptions = {}) {
    super(detail, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = new.target.name;
    this.type = options.type ?? defaultType;
    if (options.errors !== undefined) this.errors = options.errors;
  }
}

/** The request is malformed: bad JSON, wrong types, unknown fields, bad path or query parameters. */
export class ValidationError extends ProblemError {
  constructor(detail: string, options?: ProblemOptions) {
    super(detail, 'validation-error', options);
  }
}

/**
 * The request carries no verified identity: API Gateway's authorizer passed no claims. Behind a user-pool authorizer
 * that cannot happen; it is the answer if a route is ever deployed without one.
 */
export class UnauthorizedError extends ProblemError {
  constructor(detail: string, options?: ProblemOptions) {
    super(detail, 'unauthorized', options);
  }
}

/** The caller is known but may not do this (a customer asking for the staff's figures). */
export class ForbiddenError extends ProblemError {
  constructor(detail: string, options?: ProblemOptions) {
    super(detail, 'forbidden', options);
  }
}

/** The named resource does not exist. */
export class NotFoundError extends ProblemError {
  constructor(detail: string, options?: ProblemOptions) {
    super(detail, 'not-found', options);
  }
}

/** The request conflicts with the current state (out of stock, idempotency key in use, orderId reused). */
export class ConflictError extends ProblemError {
  constructor(detail: string, options?: ProblemOptions) {
    super(detail, 'conflict', options);
  }
}

/** The request is well-formed but cannot be processed (unknown SKU, idempotency key reused with another body). */
export class UnprocessableError extends ProblemError {
  constructor(detail: string, options?: ProblemOptions) {
    super(detail, 'unprocessable', options);
  }
}

/** The request body is larger than the function accepts. */
export class PayloadTooLargeError extends ProblemError {
  constructor(detail: string, options?: ProblemOptions) {
    super(detail, 'payload-too-large', options);
  }
}

/** The request body is not JSON. */
export class UnsupportedMediaTypeError extends ProblemError {
  constructor(detail: string, options?: ProblemOptions) {
    super(detail, 'unsupported-media-type', options);
  }
}

export interface ServiceUnavailableOptions extends ProblemOptions {
  /** Seconds the client should wait before retrying, sent as `Retry-After`. */
  readonly retryAfterSeconds: number;
}

/** A dependency is down, slow or shed by a circuit breaker: the client may retry after `retryAfterSeconds`. */
export class ServiceUnavailableError extends ProblemError {
  readonly retryAfterSeconds: number;

  constructor(detail: string, options: ServiceUnavailableOptions) {
    super(detail, 'service-unavailable', options);
    this.retryAfterSeconds = Math.max(1, Math.ceil(options.retryAfterSeconds));
  }
}

/** The function is deployed with a missing or invalid setting. Thrown at cold start, so the function fails loudly. */
export class ConfigurationError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ConfigurationError';
  }
}
