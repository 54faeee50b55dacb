import '../../support/quiet-env';
import { bodyOf, fieldsOf, jsonRequestEvent, lambdaContext, problemOf } from '../../factories/api-gateway-event';
import { coldStartWithout } from '../../support/cold-start';
import { conditionalCheckFailed, transactionCanceled } from '../../support/fake-dynamodb';
import { handlerUnderTest } from '../../support/handler-under-test';

const ORDER_ID = '3f1c2a9e-5b7d-4c8e-9f00-112233445566';

const reservationRequest = (overrides: Record<string, unknown> = {}) => ({
  orderId: ORDER_ID,
  lines: [
    { sku: 'SKU-0001', quantity: 2 },
    { sku: 'SKU-0002', quantity: 1 },
  ],
  ...overrides,
});

const postReservation = (body: unknown) => jsonRequestEvent('POST', '/reservations', body);

/** The transaction item that takes `quantity` of `sku` off the stock, only if the sku exists and has that many. */
const takeStock = (sku: string, quantity: number) => ({
  Update: {
    TableName: 'stock-table',
    Key: { sku },
    UpdateExpression: 'SET available = available - :q',
    ConditionExpression: 'attribute_exists(sku) AND available >= :q',
    ExpressionAttributeValues: { ':q': quantity },
    ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
  },
});

const { handler, dynamo } = handlerUnderTest(
  () => import('../../../../lambdas/inventory/handlers/create-reservation'),
  { STOCK_TABLE_NAME: 'stock-table', RESERVATIONS_TABLE_NAME: 'reservations-table', HTTP_MAX_BODY_BYTES: '4096' },
);

describe('POST /reservations', () => {
  it('reserves every line and records the reservation in one transaction, answering 201', async () => {
    // Prepare
    dynamo.on('TransactWriteCommand', () => ({}));

    // Act
    const response = await handler(postReservation(reservationRequest()), lambdaContext());

    // Assess
    expect(response.statusCode).toBe(201);
    const reservation = bodyOf(response);
    expect(reservation).toEqual({ ...reservationRequest(), status: 'RESERVED', createdAt: expect.any(String) });
    expect(dynamo.inputsOf('TransactWriteCommand')).toEqual([
      {
        TransactItems: [
          takeStock('SKU-0001', 2),
          takeStock('SKU-0002', 1),
          {
            Put: {
              TableName: 'reservations-table',
              Item: reservation,
              ConditionExpression: 'attribute_not_exists(orderId)',
            },
          },
        ],
      },
    ]);
  });

  it('answers a retry with the same lines 200 and the stored reservation, reserving nothing again', async () => {
    // Prepare: the reservation exists, so its put fails; the stock updates were not applied
    const stored = { ...reservationRequest(), status: 'RESERVED', createdAt: '2024-05-01T12:00:00.000Z' };
    dynamo
      .on('TransactWriteCommand', () => {
        throw transactionCanceled('None', 'None', 'ConditionalCheckFailed');
      })
      .on('GetCommand', () => ({ Item: stored }));

    // Act: the same lines in another order are the same reservation
    const response = await handler(postReservation(reservationRequest({ lines: [...reservationRequest().lines].reverse() })), lambdaContext());

    // Assess
    expect(response.statusCode).toBe(200);
    expect(bodyOf(response)).toEqual(stored);
    expect(dynamo.inputsOf('GetCommand')).toEqual([{ TableName: 'reservations-table', Key: { orderId: ORDER_ID }, ConsistentRead: true }]);
  });

  it('answers 409 naming orderId when the orderId is reserved with other lines', async () => {
    dynamo
      .on('TransactWriteCommand', () => {
        throw transactionCanceled('None', 'None', 'ConditionalCheckFailed');
      })
      .on('GetCommand', () => ({ Item: { ...reservationRequest({ lines: [{ sku: 'SKU-0001', quantity: 9 }] }), status: 'RESERVED', createdAt: 'x' } }));

    const response = await handler(postReservation(reservationRequest()), lambdaContext());

    expect(response.statusCode).toBe(409);
    expect(fieldsOf(response)).toEqual(['orderId']);
  });

  it('answers 409 naming orderId when the reservation for the orderId was released', async () => {
    dynamo
      .on('TransactWriteCommand', () => {
        throw transactionCanceled('None', 'None', 'ConditionalCheckFailed');
      })
      .on('GetCommand', () => ({ Item: { ...reservationRequest(), status: 'RELEASED', createdAt: 'x', releasedAt: 'y' } }));

    const response = await handler(postReservation(reservationRequest()), lambdaContext());

    expect(response.statusCode).toBe(409);
    expect(fieldsOf(response)).toEqual(['orderId']);
  });

  it('answers 409 out-of-stock naming the short line with what is available', async () => {
    // Prepare: line 1's condition failed and DynamoDB returned its stock item (ALL_OLD)
    dynamo.on('TransactWriteCommand', () => {
      throw transactionCanceled('None', ['ConditionalCheckFailed', { sku: 'SKU-0002', available: 0 }], 'None');
    });

    // Act
    const response = await handler(postReservation(reservationRequest()), lambdaContext());

    // Assess
    expect(response.statusCode).toBe(409);
    const problem = problemOf(response);
    expect(problem.type).toMatch(/out-of-stock$/);
    expect(problem.errors).toEqual([{ field: 'lines[1].sku', message: 'only 0 available', available: 0 }]);
  });

  it('answers 422 naming the line whose sku has no stock record', async () => {
    dynamo.on('TransactWriteCommand', () => {
      throw transactionCanceled('ConditionalCheckFailed', 'None', 'None');
    });

    const response = await handler(postReservation(reservationRequest()), lambdaContext());

    expect(response.statusCode).toBe(422);
    expect(problemOf(response).type).toMatch(/unknown-sku$/);
    expect(fieldsOf(response)).toEqual(['lines[0].sku']);
  });

  it('retries a transaction that conflicted with another and succeeds', async () => {
    dynamo
      .once('TransactWriteCommand', () => {
        throw transactionCanceled('TransactionConflict', 'None', 'None');
      })
      .on('TransactWriteCommand', () => ({}));

    const response = await handler(postReservation(reservationRequest()), lambdaContext());

    expect(response.statusCode).toBe(201);
    expect(dynamo.inputsOf('TransactWriteCommand')).toHaveLength(2);
  });

  it('gives up after three retries of a conflicting transaction with 503 and Retry-After', async () => {
    dynamo.on('TransactWriteCommand', () => {
      throw transactionCanceled('None', 'TransactionConflict', 'None');
    });

    const response = await handler(postReservation(reservationRequest()), lambdaContext());

    expect(response.statusCode).toBe(503);
    expect(response.headers?.['retry-after']).toBe('1');
    expect(dynamo.inputsOf('TransactWriteCommand')).toHaveLength(4);
  });

  it('answers an unexpected table error with a generic 500', async () => {
    dynamo.on('TransactWriteCommand', () => {
      throw conditionalCheckFailed();
    });

    const response = await handler(postReservation(reservationRequest()), lambdaContext());

    expect(response.statusCode).toBe(500);
  });

  it.each([
    ['a missing orderId', 'orderId', { lines: reservationRequest().lines }],
    ['a malformed orderId', 'orderId', reservationRequest({ orderId: 'no spaces allowed' })],
    ['an orderId over 64 characters', 'orderId', reservationRequest({ orderId: 'a'.repeat(65) })],
    ['no lines', 'lines', reservationRequest({ lines: [] })],
    ['a quantity of zero', 'lines[0].quantity', reservationRequest({ lines: [{ sku: 'SKU-0001', quantity: 0 }] })],
    ['a fractional quantity', 'lines[0].quantity', reservationRequest({ lines: [{ sku: 'SKU-0001', quantity: 1.5 }] })],
    ['a malformed sku', 'lines[0].sku', reservationRequest({ lines: [{ sku: 'x', quantity: 1 }] })],
    ['a repeated sku', 'lines[1].sku', reservationRequest({ lines: [{ sku: 'SKU-0001', quantity: 1 }, { sku: 'SKU-0001', quantity: 2 }] })],
    ['an unknown field', 'priority', reservationRequest({ priority: 'high' })],
    ['an unknown line field', 'lines[0].note', reservationRequest({ lines: [{ sku: 'SKU-0001', quantity: 1, note: 'x' }] })],
  ])('answers 400 for %s, naming %s', async (_case, field, body) => {
    const response = await handler(postReservation(body), lambdaContext());

    expect(response.statusCode).toBe(400);
    expect(fieldsOf(response)).toContain(field);
    expect(dynamo.sent).toEqual([]);
  });

  it('answers 413 naming body for a body over HTTP_MAX_BODY_BYTES', async () => {
    const response = await handler(postReservation(reservationRequest({ orderId: 'a'.repeat(5000) })), lambdaContext());

    expect(response.statusCode).toBe(413);
    expect(fieldsOf(response)).toEqual(['body']);
  });

});

describe('the create-reservation function', () => {
  it('fails at cold start when HTTP_MAX_BODY_BYTES is missing', async () => {
    await expect(coldStartWithout('HTTP_MAX_BODY_BYTES', () => import('../../../../lambdas/inventory/handlers/create-reservation'))).rejects.toThrow(/HTTP_MAX_BODY_BYTES/);
  });
});
