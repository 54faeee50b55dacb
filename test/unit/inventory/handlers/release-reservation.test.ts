import '../../support/quiet-env';
import { apiGatewayEvent, fieldsOf, lambdaContext } from '../../factories/api-gateway-event';
import { FIXTURE_ORDER_ID } from '../../factories/events';
import { aReservation } from '../../factories/reservation';
import { transactionCanceled } from '../../support/fake-dynamodb';
import { handlerUnderTest } from '../../support/handler-under-test';

const ORDER_ID = FIXTURE_ORDER_ID;

/** 2 × SKU-0001 and 1 × SKU-0004 (the fixture order's). */
const reserved = aReservation();
const released = aReservation({ status: 'RELEASED', releasedAt: '2024-05-01T12:05:00.000Z' });

const deleteReservation = (orderId: string) =>
  apiGatewayEvent({
    httpMethod: 'DELETE',
    resource: '/reservations/{orderId}',
    path: `/reservations/${orderId}`,
    pathParameters: { orderId },
  });

const { handler, dynamo } = handlerUnderTest(
  () => import('../../../../lambdas/inventory/handlers/release-reservation'),
  { STOCK_TABLE_NAME: 'stock-table', RESERVATIONS_TABLE_NAME: 'reservations-table' },
);

describe('DELETE /reservations/{orderId}', () => {
  it('marks the reservation released and gives its stock back in one transaction, answering 204', async () => {
    // Prepare
    dynamo.on('GetCommand', () => ({ Item: reserved })).on('TransactWriteCommand', () => ({}));

    // Act
    const response = await handler(deleteReservation(ORDER_ID), lambdaContext());

    // Assess
    expect(response.statusCode).toBe(204);
    expect(response.body).toBe('');
    const [transaction] = dynamo.inputsOf('TransactWriteCommand');
    expect(transaction).toEqual({
      TransactItems: [
        {
          Update: {
            TableName: 'reservations-table',
            Key: { orderId: ORDER_ID },
            UpdateExpression: 'SET #s = :released, releasedAt = :now',
            ConditionExpression: '#s = :reserved',
            ExpressionAttributeNames: { '#s': 'status' },
            ExpressionAttributeValues: { ':released': 'RELEASED', ':reserved': 'RESERVED', ':now': expect.any(String) },
          },
        },
        { Update: { TableName: 'stock-table', Key: { sku: 'SKU-0001' }, UpdateExpression: 'ADD available :q', ExpressionAttributeValues: { ':q': 2 } } },
        { Update: { TableName: 'stock-table', Key: { sku: 'SKU-0004' }, UpdateExpression: 'ADD available :q', ExpressionAttributeValues: { ':q': 1 } } },
      ],
    });
  });

  it('answers 204 without touching stock when the reservation is already released', async () => {
    dynamo.on('GetCommand', () => ({ Item: released }));

    const response = await handler(deleteReservation(ORDER_ID), lambdaContext());

    expect(response.statusCode).toBe(204);
    expect(dynamo.inputsOf('TransactWriteCommand')).toEqual([]);
  });

  it('answers 204 and releases once when a concurrent release wins the race', async () => {
    // Prepare: read RESERVED, but the conditional update finds it already RELEASED
    dynamo
      .once('GetCommand', () => ({ Item: reserved }))
      .on('GetCommand', () => ({ Item: released }))
      .on('TransactWriteCommand', () => {
        throw transactionCanceled('ConditionalCheckFailed', 'None', 'None');
      });

    // Act
    const response = await handler(deleteReservation(ORDER_ID), lambdaContext());

    // Assess
    expect(response.statusCode).toBe(204);
    expect(dynamo.inputsOf('TransactWriteCommand')).toHaveLength(1);
  });

  it('answers 404 naming orderId when there is no reservation', async () => {
    dynamo.on('GetCommand', () => ({}));

    const response = await handler(deleteReservation(ORDER_ID), lambdaContext());

    expect(response.statusCode).toBe(404);
    expect(fieldsOf(response)).toEqual(['orderId']);
  });

  it('answers 400 naming orderId for a malformed orderId', async () => {
    const response = await handler(deleteReservation('not valid!'), lambdaContext());

    expect(response.statusCode).toBe(400);
    expect(fieldsOf(response)).toEqual(['orderId']);
    expect(dynamo.sent).toEqual([]);
  });

  it('retries a release that conflicted with another transaction', async () => {
    dynamo
      .on('GetCommand', () => ({ Item: reserved }))
      .once('TransactWriteCommand', () => {
        throw transactionCanceled('None', 'TransactionConflict', 'None');
      })
      .on('TransactWriteCommand', () => ({}));

    const response = await handler(deleteReservation(ORDER_ID), lambdaContext());

    expect(response.statusCode).toBe(204);
    expect(dynamo.inputsOf('TransactWriteCommand')).toHaveLength(2);
  });

});
