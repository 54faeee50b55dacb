import { ACCOUNT_THROTTLE, readRestApis, RestApiModel } from '../../../../local/apigateway/rest-api-model';
import { resolvedShop } from './shop-template';

function apis(): RestApiModel[] {
  const { template, resolver, physical } = resolvedShop();
  return readRestApis(template, resolver, physical);
}

describe('readRestApis', () => {
  it('reads every REST API with its local id and name', () => {
    // Prepare
    const { physical } = resolvedShop();

    // Act
    const models = apis();

    // Assess
    expect(models.map((m) => [m.logicalId, m.id, m.name])).toEqual([
      ['PublicApiRestApi1A2B3C4D', physical.get('PublicApiRestApi1A2B3C4D')?.ref, 'HybridShop-public'],
      ['InternalApiRestApi5E6F7A8B', physical.get('InternalApiRestApi5E6F7A8B')?.ref, 'HybridShop-internal'],
    ]);
    expect(models[0].id).toMatch(/^[a-z0-9]{10}$/);
  });

  it('builds the resource tree from ParentId references, with full paths', () => {
    // Act
    const [pub] = apis();

    // Assess
    const paths = (node: RestApiModel['root']): string[] => [node.path, ...node.children.flatMap(paths)];
    expect(paths(pub.root).sort()).toEqual(['/', '/files', '/files/{proxy+}', '/orders', '/products', '/products/featured', '/products/{sku}']);
  });

  it('links each proxy method to its function and keeps the authorization type', () => {
    // Act
    const [, internal] = apis();

    // Assess
    const reservations = internal.root.children[0];
    expect(reservations.methods.get('POST')).toEqual({
      httpMethod: 'POST',
      authorizationType: 'AWS_IAM',
      integration: { type: 'AWS_PROXY', functionRef: 'InventoryCreateReservationFunctionDDDDDDDD', timeoutMs: 29_000 },
    });
  });

  it('reads a mock integration as its static response', () => {
    const orders = apis()[0].root.children.find((c) => c.pathPart === 'orders');
    expect(orders?.methods.get('OPTIONS')?.integration).toEqual({ type: 'MOCK', statusCode: 204, headers: { 'Access-Control-Allow-Origin': '*' }, body: '' });
  });

  it('reads stage throttling, method overrides and variables; a stage without settings gets the account default', () => {
    // Act
    const [pub, internal] = apis();

    // Assess
    const prod = pub.stages.get('prod');
    expect(prod?.defaultThrottle).toEqual({ rateLimit: 100, burstLimit: 200 });
    expect(prod?.methodThrottles.get('/orders POST')).toEqual({ rateLimit: 0.001, burstLimit: 1 });
    expect(prod?.variables).toEqual({ flavour: 'local' });
    expect(internal.stages.get('prod')?.defaultThrottle).toEqual(ACCOUNT_THROTTLE);
  });

  it('reads customized gateway responses and binary media types', () => {
    const [pub] = apis();
    expect(pub.gatewayResponses.get('MISSING_AUTHENTICATION_TOKEN')).toMatchObject({ statusCode: 404, responseParameters: { 'gatewayresponse.header.Content-Type': "'application/problem+json'" } });
    expect(pub.binaryMediaTypes).toEqual(['image/png']);
  });
});
