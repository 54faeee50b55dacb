import '../../support/quiet-env';
import type { APIGatewayProxyEventQueryStringParameters } from 'aws-lambda';
import { encodeCursor } from '../../../../lambdas/catalog/domain/page-cursor';
import { sampleProducts } from '../../../../lambdas/catalog/domain/sample-products';
import { apiGatewayEvent, bodyOf, fieldsOf, lambdaContext } from '../../factories/api-gateway-event';
import { handlerUnderTest } from '../../support/handler-under-test';

const listEvent = (query: APIGatewayProxyEventQueryStringParameters | null = null) =>
  apiGatewayEvent({ resource: '/products', path: '/products', queryStringParameters: query });

const { handler, dynamo } = handlerUnderTest(
  () => import('../../../../lambdas/catalog/handlers/list-products'),
  { PRODUCTS_TABLE_NAME: 'products-table' },
);

describe('GET /products', () => {
  it('answers the first page of 20 with a cursor to the next', async () => {
    // Prepare
    const page = sampleProducts().slice(0, 20);
    dynamo.on('ScanCommand', () => ({ Items: page, LastEvaluatedKey: { sku: 'SKU-0020' } }));

    // Act
    const response = await handler(listEvent(), lambdaContext());

    // Assess
    expect(response.statusCode).toBe(200);
    expect(bodyOf(response)).toEqual({ items: page, nextCursor: encodeCursor({ sku: 'SKU-0020' }) });
    expect(dynamo.inputsOf('ScanCommand')).toEqual([{ TableName: 'products-table', Limit: 20 }]);
  });

  it('resumes after the cursor with the given limit, and omits nextCursor on the last page', async () => {
    dynamo.on('ScanCommand', () => ({ Items: sampleProducts().slice(55) }));

    const response = await handler(listEvent({ limit: '5', cursor: encodeCursor({ sku: 'SKU-0055' }) }), lambdaContext());

    expect(bodyOf(response)).toEqual({ items: sampleProducts().slice(55) });
    expect(dynamo.inputsOf('ScanCommand')).toEqual([
      { TableName: 'products-table', Limit: 5, ExclusiveStartKey: { sku: 'SKU-0055' } },
    ]);
  });

  it.each(['0', '101', '-1', '2.5', 'ten', '', '1000'])('answers 400 naming limit for limit=%p', async (limit) => {
    const response = await handler(listEvent({ limit }), lambdaContext());

    expect(response.statusCode).toBe(400);
    expect(fieldsOf(response)).toEqual(['limit']);
    expect(dynamo.sent).toEqual([]);
  });

  it('answers 400 naming cursor for a forged cursor, never passing it to the table', async () => {
    const response = await handler(listEvent({ cursor: 'not-a-cursor' }), lambdaContext());

    expect(response.statusCode).toBe(400);
    expect(fieldsOf(response)).toEqual(['cursor']);
    expect(dynamo.sent).toEqual([]);
  });

});
