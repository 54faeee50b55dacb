import '../../support/quiet-env';
import { apiGatewayEvent, bodyOf, fieldsOf, lambdaContext } from '../../factories/api-gateway-event';
import { coldStartWithout } from '../../support/cold-start';
import { handlerUnderTest } from '../../support/handler-under-test';

const product = {
  sku: 'SKU-0001',
  name: 'Chef Knife',
  description: 'Sharp.',
  category: 'kitchen',
  priceCents: 1490,
  currency: 'EUR',
};

const getProductEvent = (sku: string) =>
  apiGatewayEvent({ resource: '/products/{sku}', path: `/products/${sku}`, pathParameters: { sku } });

const { handler, dynamo } = handlerUnderTest(
  () => import('../../../../lambdas/catalog/handlers/get-product'),
  { PRODUCTS_TABLE_NAME: 'products-table' },
);

describe('GET /products/{sku}', () => {
  it('answers 200 with the product, reading it by sku from the products table', async () => {
    // Prepare
    dynamo.on('GetCommand', () => ({ Item: { ...product, internalNote: 'not for clients' } }));

    // Act
    const response = await handler(getProductEvent('SKU-0001'), lambdaContext());

    // Assess
    expect(response.statusCode).toBe(200);
    expect(bodyOf(response)).toEqual(product);
    expect(dynamo.inputsOf('GetCommand')).toEqual([{ TableName: 'products-table', Key: { sku: 'SKU-0001' } }]);
  });

  it('answers 404 naming sku when there is no such product', async () => {
    dynamo.on('GetCommand', () => ({}));

    const response = await handler(getProductEvent('SKU-9999'), lambdaContext());

    expect(response.statusCode).toBe(404);
    expect(fieldsOf(response)).toEqual(['sku']);
  });

  it.each([' bad', 'sku-0001', 'AB', `S${'K'.repeat(32)}`, '-SKU'])('answers 400 naming sku for %p without reading the table', async (sku) => {
    const response = await handler(getProductEvent(sku), lambdaContext());

    expect(response.statusCode).toBe(400);
    expect(fieldsOf(response)).toEqual(['sku']);
    expect(dynamo.sent).toEqual([]);
  });

});

describe('the get-product function', () => {
  it('fails at cold start, naming the variable, when PRODUCTS_TABLE_NAME is missing', async () => {
    await expect(coldStartWithout('PRODUCTS_TABLE_NAME', () => import('../../../../lambdas/catalog/handlers/get-product'))).rejects.toThrow(/PRODUCTS_TABLE_NAME/);
  });
});
