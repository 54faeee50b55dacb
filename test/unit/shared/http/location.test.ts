import { locationOf } from '../../../../lambdas/shared/http/location';

/** Where a client that called `requestUrl` lands when it follows `location` (what curl -L and fetch do). */
const follow = (requestUrl: string, location: string): string => new URL(location, requestUrl).href;

describe('locationOf', () => {
  it('answers POST /orders with a reference that keeps the stage of the URL the client called', () => {
    const location = locationOf({ path: '/orders' }, '/orders/o-1');

    expect(location).toBe('orders/o-1');
    expect(follow('https://abc123.execute-api.eu-west-1.amazonaws.com/prod/orders', location)).toBe(
      'https://abc123.execute-api.eu-west-1.amazonaws.com/prod/orders/o-1',
    );
  });

  it('answers POST /orders/{id}/cancel with a reference to the order itself', () => {
    const location = locationOf({ path: '/orders/o-1/cancel' }, '/orders/o-1');

    expect(location).toBe('../o-1');
    expect(follow('https://abc123.execute-api.eu-west-1.amazonaws.com/dev/orders/o-1/cancel', location)).toBe(
      'https://abc123.execute-api.eu-west-1.amazonaws.com/dev/orders/o-1',
    );
  });

  it.each([
    ['an emulator path-style URL', 'http://127.0.0.1:4566/_aws/execute-api/abc123/prod/orders', 'http://127.0.0.1:4566/_aws/execute-api/abc123/prod/orders/o-1'],
    ['a custom domain with a base path', 'https://shop.example.com/v1/orders', 'https://shop.example.com/v1/orders/o-1'],
    ['the local runtime', 'http://127.0.0.1:3001/prod/orders', 'http://127.0.0.1:3001/prod/orders/o-1'],
    ['a request with a query string', 'https://abc123.execute-api.eu-west-1.amazonaws.com/prod/orders?x=1', 'https://abc123.execute-api.eu-west-1.amazonaws.com/prod/orders/o-1'],
  ])('resolves against %s to the order under the same prefix', (_name, requestUrl, expected) => {
    expect(follow(requestUrl, locationOf({ path: '/orders' }, '/orders/o-1'))).toBe(expected);
  });

  it('handles a request path with a trailing slash', () => {
    const location = locationOf({ path: '/orders/' }, '/orders/o-1');

    expect(follow('https://abc123.execute-api.eu-west-1.amazonaws.com/prod/orders/', location)).toBe(
      'https://abc123.execute-api.eu-west-1.amazonaws.com/prod/orders/o-1',
    );
  });

  it('escapes the target segments and never lets a colon read as a scheme', () => {
    expect(locationOf({ path: '/orders' }, '/orders/a b')).toBe('orders/a%20b');
    expect(locationOf({ path: '/x' }, '/a:b/c')).toBe('a%3Ab/c');
  });
});
