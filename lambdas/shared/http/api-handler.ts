import middy from '@middy/core';
import type { APIGatewayProxyEvent, APIGatewayProxyResult, Context } from 'aws-lambda';
import { logger } from '../logger';
import { type JsonApiEvent, jsonBody, type JsonBodyOptions } from './json-body';
import { problemResponses } from './problem-responses';

export type ApiRoute<TEvent> = (event: TEvent, context: Context) => Promise<APIGatewayProxyResult>;

export type ApiHandler = (event: APIGatewayProxyEvent, context: Context) => Promise<APIGatewayProxyResult>;

function withCommonMiddleware(route: ApiRoute<APIGatewayProxyEvent>) {
  return middy<APIGatewayProxyEvent, APIGatewayProxyResult>(route)
    .before((request) => {
      logger.addContext(request.context);
    })
    .use(problemResponses());
}

/** A REST API (proxy integration) handler: Lambda context in the logs, errors answered as problem documents. */
export function apiHandler(route: ApiRoute<APIGatewayProxyEvent>): ApiHandler {
  return withCommonMiddleware(route);
}

/** How the JSON body is read: its largest size, and whether a request may come without one. */
export type JsonApiHandlerOptions = JsonBodyOptions;

/** An `apiHandler` whose route receives the parsed, size-checked JSON body. */
export function jsonApiHandler(options: JsonApiHandlerOptions, route: ApiRoute<JsonApiEvent>): ApiHandler {
  // jsonBody replaced event.body with the parsed document before the route runs.
  return withCommonMiddleware((event, context) => route(event as unknown as JsonApiEvent, context)).use(
    jsonBody(options),
  );
}
