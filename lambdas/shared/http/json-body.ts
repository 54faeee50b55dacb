import type { MiddlewareObj } from '@middy/core';
import type { APIGatewayProxyEvent } from 'aws-lambda';
import { PayloadTooLargeError, UnsupportedMediaTypeError, ValidationError } from '../errors';
import { headerValue } from './request';

/** An API Gateway proxy event whose body the `jsonBody` middleware has parsed. */
export type JsonApiEvent = Omit<APIGatewayProxyEvent, 'body'> & { readonly body: unknown };

export interface JsonBodyOptions {
  /** Largest body accepted, in bytes, after base64 decoding; larger bodies are answered 413. */
  readonly maxBodyBytes: number;
  /**
   * A request may come without a body (none, or an empty one): it passes unchecked, and `event.body` is `undefined`.
   * @default false - a request without a body is answered 400 naming `body`
   */
  readonly optionalBody?: boolean;
}

const JSON_MEDIA_TYPE = /^application\/(?:[\w.+-]+\+)?json$/;

/**
 * Replaces `event.body` with the parsed JSON document. Rejects, naming the field: no body → 400 `body` (unless
 * `optionalBody`), over `maxBodyBytes` → 413 `body`, a media type other than JSON → 415 `Content-Type`, malformed
 * JSON → 400 `body`.
 */
export function jsonBody(options: JsonBodyOptions): MiddlewareObj<APIGatewayProxyEvent> {
  return {
    name: 'jsonBody',
    before: (request) => {
      const { event } = request;
      if (event.body === null || event.body === '') {
        if (options.optionalBody === true) {
          const noBody: JsonApiEvent = { ...event, body: undefined };
          request.event = noBody as unknown as APIGatewayProxyEvent;
          return;
        }
        throw new ValidationError('The request needs a JSON body.', {
          errors: [{ field: 'body', message: 'is required' }],
        });
      }
      const bytes = event.isBase64Encoded ? Buffer.from(event.body, 'base64') : Buffer.from(event.body, 'utf8');
      if (bytes.byteLength > options.maxBodyBytes) {
        throw new PayloadTooLargeError(`The request body is larger than ${options.maxBodyBytes} bytes.`, {
          errors: [{ field: 'body', message: `must be at most ${options.maxBodyBytes} bytes` }],
        });
      }
      const mediaType = headerValue(event, 'content-type')?.split(';')[0]?.trim().toLowerCase() ?? '';
      if (!JSON_MEDIA_TYPE.test(mediaType)) {
        throw new UnsupportedMediaTypeError('The request body must be JSON.', {
          errors: [{ field: 'Content-Type', message: 'must be application/json' }],
        });
      }
      let parsed: unknown;
      try {
        parsed = JSON.parse(bytes.toString('utf8'));
      } catch {
        throw new ValidationError('The request body is not valid JSON.', {
          errors: [{ field: 'body', message: 'is not valid JSON' }],
        });
      }
      const parsedEvent: JsonApiEvent = { ...event, body: parsed };
      // Middy types one event shape for the whole chain; from here on handlers see the parsed body.
      request.event = parsedEvent as unknown as APIGatewayProxyEvent;
    },
  };
}
