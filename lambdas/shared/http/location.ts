import type { APIGatewayProxyEvent } from 'aws-lambda';

/**
 * A `Location` for `targetPath` (a path of this API, e.g. `/orders/{id}`), as a relative reference from the request's
 * own path (RFC 3986 §4.2, allowed in `Location` by RFC 9110 §10.2.2): `orders/{id}` answering `POST /orders`,
 * `../{id}` answering `POST /orders/{id}/cancel`.
 *
 * Resolved against the URL the client called, it keeps whatever came before the API's own path: the stage on API
 * Gateway's default endpoint (`…/prod/orders/{id}`), a custom domain's base path, an emulator's
 * `/_aws/execute-api/{apiId}/{stage}` prefix. An absolute path (`/orders/{id}`) would drop all three; an absolute URL
 * built from `requestContext` cannot know an emulator's prefix, which its event does not carry.
 */
export function locationOf(event: Pick<APIGatewayProxyEvent, 'path'>, targetPath: string): string {
  // The segments of the request's "directory": its path without the last segment (`/orders` → [], `/orders/` → [orders]).
  const from = event.path.split('/').slice(1, -1);
  const to = targetPath.split('/').slice(1).map((segment) => encodeURIComponent(decodeURIComponentSafe(segment)));
  let common = 0;
  while (common < from.length && common < to.length - 1 && from[common] === to[common]) common++;
  // Segments are percent-encoded, so a colon cannot make the first one read as a scheme.
  return [...Array<string>(from.length - common).fill('..'), ...to.slice(common)].join('/');
}

function decodeURIComponentSafe(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    return segment;
  }
}
