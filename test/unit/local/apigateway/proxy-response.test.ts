import { MalformedProxyResponseError, mapProxyResponse } from '../../../../local/apigateway/proxy-response';

describe('mapProxyResponse', () => {
  it('maps statusCode, headers and body', () => {
    // Act
    const response = mapProxyResponse(JSON.stringify({ statusCode: 201, headers: { Location: '/orders/1', 'Content-Type': 'application/json' }, body: '{"id":"1"}' }));

    // Assess
    expect(response.status).toBe(201);
    expect(response.headers).toEqual([
      ['Location', '/orders/1'],
      ['Content-Type', 'application/json'],
    ]);
    expect(response.body.toString()).toBe('{"id":"1"}');
  });

  it('defaults Content-Type to application/json and an absent body to empty', () => {
    // Act
    const response = mapProxyResponse(JSON.stringify({ statusCode: 204 }));

    // Assess
    expect(response.headers).toEqual([['Content-Type', 'application/json']]);
    expect(response.body.length).toBe(0);
  });

  it('merges multiValueHeaders, whose values win for a name in both', () => {
    // Act
    const response = mapProxyResponse(
      JSON.stringify({ statusCode: 200, headers: { 'set-cookie': 'x=0', 'X-One': 1 }, multiValueHeaders: { 'Set-Cookie': ['a=1', 'b=2'] }, body: '' }),
    );

    // Assess
    expect(response.headers).toEqual([
      ['Set-Cookie', 'a=1'],
      ['Set-Cookie', 'b=2'],
      ['X-One', '1'],
      ['Content-Type', 'application/json'],
    ]);
  });

  it('decodes a base64 body', () => {
    const response = mapProxyResponse(JSON.stringify({ statusCode: 200, body: Buffer.from([1, 2, 3]).toString('base64'), isBase64Encoded: true }));
    expect([...response.body]).toEqual([1, 2, 3]);
  });

  it.each([
    ['a payload that is not an object', '"hello"'],
    ['null', 'null'],
    ['a missing statusCode', JSON.stringify({ body: 'x' })],
    ['a statusCode out of range', JSON.stringify({ statusCode: 99 })],
    ['a body that is an object', JSON.stringify({ statusCode: 200, body: { a: 1 } })],
    ['a header that is an object', JSON.stringify({ statusCode: 200, headers: { a: { b: 1 } } })],
    ['multiValueHeaders that are not lists', JSON.stringify({ statusCode: 200, multiValueHeaders: { a: 'b' } })],
    ['isBase64Encoded that is not a boolean', JSON.stringify({ statusCode: 200, isBase64Encoded: 'yes' })],
  ])('rejects %s as a malformed proxy response', (_what, payload) => {
    expect(() => mapProxyResponse(payload)).toThrow(MalformedProxyResponseError);
  });
});
