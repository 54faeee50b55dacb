import { renderGatewayError, renderTemplate, ResponseContext } from '../../../../local/apigateway/gateway-responses';
import { GatewayResponseConfig } from '../../../../local/apigateway/rest-api-model';

const ctx: ResponseContext = {
  context: { httpMethod: 'GET', path: '/prod/nope', requestId: 'req-1', stage: 'prod' },
  stageVariables: { flavour: 'local' },
  requestHeader: (name) => (name.toLowerCase() === 'origin' ? 'https://shop.example' : undefined),
  queryParameters: { q: 'x' },
  pathParameters: {},
};

const bodyOf = (response: { body: Buffer }) => response.body.toString();
const header = (response: { headers: readonly (readonly [string, string])[] }, name: string) =>
  response.headers.find(([key]) => key.toLowerCase() === name.toLowerCase())?.[1];

describe('renderTemplate', () => {
  it('substitutes $context and $stageVariables references in their plain, braced and quiet forms', () => {
    // Act
    const out = renderTemplate('$context.httpMethod ${context.path} $!context.requestId $stageVariables.flavour.', {
      'context.httpMethod': 'GET',
      'context.path': '/prod/x',
      'context.requestId': 'r1',
      'stageVariables.flavour': 'local',
    });

    // Assess
    expect(out).toBe('GET /prod/x r1 local.');
  });

  it('leaves an unknown reference as written, and renders an unknown quiet reference as nothing', () => {
    expect(renderTemplate('[$context.nope][$!context.nope]', {})).toBe('[$context.nope][]');
  });
});

describe('renderGatewayError', () => {
  it('answers API Gateway defaults when the API customizes nothing', () => {
    // Act
    const response = renderGatewayError('MISSING_AUTHENTICATION_TOKEN', 'Missing Authentication Token', new Map(), ctx);

    // Assess
    expect(response.status).toBe(403);
    expect(bodyOf(response)).toBe('{"message":"Missing Authentication Token"}');
    expect(header(response, 'content-type')).toBe('application/json');
    expect(header(response, 'x-amzn-ErrorType')).toBe('MissingAuthenticationTokenException');
  });

  it('quotes the message in messageString so the default body stays JSON', () => {
    const response = renderGatewayError('ACCESS_DENIED', 'User: "x" is not authorized', new Map(), ctx);
    expect(JSON.parse(bodyOf(response))).toEqual({ message: 'User: "x" is not authorized' });
  });

  it('uses the type customization: status, template with $context substitution, and static headers', () => {
    // Prepare
    const customizations = new Map<string, GatewayResponseConfig>([
      [
        'MISSING_AUTHENTICATION_TOKEN',
        {
          responseType: 'MISSING_AUTHENTICATION_TOKEN',
          statusCode: 404,
          responseParameters: { 'gatewayresponse.header.Content-Type': "'application/problem+json'", 'gatewayresponse.header.Access-Control-Allow-Origin': 'method.request.header.Origin' },
          responseTemplates: { 'application/json': '{"detail":"No route matches $context.httpMethod $context.path","code":"$context.error.responseType","id":"$context.requestId"}' },
        },
      ],
    ]);

    // Act
    const response = renderGatewayError('MISSING_AUTHENTICATION_TOKEN', 'Missing Authentication Token', customizations, ctx);

    // Assess
    expect(response.status).toBe(404);
    expect(JSON.parse(bodyOf(response))).toEqual({ detail: 'No route matches GET /prod/nope', code: 'MISSING_AUTHENTICATION_TOKEN', id: 'req-1' });
    expect(header(response, 'content-type')).toBe('application/problem+json');
    expect(header(response, 'access-control-allow-origin')).toBe('https://shop.example');
  });

  it('falls back to the DEFAULT_4XX or DEFAULT_5XX customization, keeping the natural status when it sets none', () => {
    // Prepare
    const customizations = new Map<string, GatewayResponseConfig>([
      ['DEFAULT_5XX', { responseType: 'DEFAULT_5XX', responseParameters: {}, responseTemplates: { 'application/json': '{"title":"Server Error","detail":$context.error.messageString}' } }],
      ['DEFAULT_4XX', { responseType: 'DEFAULT_4XX', statusCode: 400, responseParameters: {}, responseTemplates: {} }],
    ]);

    // Act
    const functionError = renderGatewayError('DEFAULT_5XX', 'Internal server error', customizations, ctx);
    const throttled = renderGatewayError('THROTTLED', 'Too Many Requests', customizations, ctx);

    // Assess
    expect(functionError.status).toBe(502);
    expect(JSON.parse(bodyOf(functionError))).toEqual({ title: 'Server Error', detail: 'Internal server error' });
    expect(throttled.status).toBe(400);
    expect(bodyOf(throttled)).toBe('{"message":"Too Many Requests"}');
  });

  it('answers an unknown access key through DEFAULT_4XX, as API Gateway has no type of its own for it', () => {
    const response = renderGatewayError('UNRECOGNIZED_CLIENT', 'The security token included in the request is invalid.', new Map(), ctx);
    expect([response.status, header(response, 'x-amzn-ErrorType')]).toEqual([403, 'UnrecognizedClientException']);
  });
});
