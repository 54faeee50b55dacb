import '../../support/quiet-env';
import type { APIGatewayProxyEventQueryStringParameters } from 'aws-lambda';
import { apiGatewayEvent, bodyOf, fieldsOf, lambdaContext, problemOf, withClaims } from '../../factories/api-gateway-event';
import { type CallerClaims, customerClaims, staffClaims, TEST_CUSTOMER_ID } from '../../factories/caller-claims';
import { InMemoryTables } from '../../factories/fulfilment-tables';
import { fakeDateOnly } from '../../support/fake-date';
import { handlerUnderTest } from '../../support/handler-under-test';

/** GET /analytics/sales?query, by a member of the staff unless `claims` say otherwise (`null`: nobody signed in). */
const salesEvent = (query: APIGatewayProxyEventQueryStringParameters | null = null, claims: CallerClaims | null = staffClaims()) =>
  withClaims(apiGatewayEvent({ resource: '/analytics/sales', path: '/analytics/sales', queryStringParameters: query }), claims);

const minuteItem = (sk: string, orders: number, revenueCents: number, cancelled = 0) => ({ pk: 'SALES', sk, orders, revenueCents, cancelled });

let tables: InMemoryTables;

const { handler, dynamo } = handlerUnderTest(
  () => import('../../../../lambdas/analytics/handlers/get-sales'),
  { ANALYTICS_TABLE_NAME: 'analytics-table', SALES_SHARD_COUNT: '1' },
);

beforeEach(() => {
  tables = new InMemoryTables(dynamo, { 'analytics-table': ['pk', 'sk'] });
  for (const item of [
    minuteItem('2024-05-01T11:59', 9, 9000),
    minuteItem('2024-05-01T12:00', 2, 1500),
    minuteItem('2024-05-01T12:07', 1, 990, 1),
    minuteItem('2024-05-01T12:59', 3, 3000, 2),
    minuteItem('2024-05-01T13:00', 5, 5000),
  ]) {
    tables.seed('analytics-table', item);
  }
  // a counted-event marker lives in the same table, in another partition
  tables.seed('analytics-table', { pk: 'EVENT#e-1', sk: '-', minute: '2024-05-01T12:07' });
});
afterEach(() => {
  jest.useRealTimers();
});

describe('GET /analytics/sales', () => {
  it('answers the minutes from..to, both included, with their totals', async () => {
    // Act
    const response = await handler(salesEvent({ from: '2024-05-01T12:00', to: '2024-05-01T12:59' }), lambdaContext());

    // Assess
    expect(response.statusCode).toBe(200);
    expect(bodyOf(response)).toEqual({
      from: '2024-05-01T12:00',
      to: '2024-05-01T12:59',
      minutes: [
        { minute: '2024-05-01T12:00', orders: 2, revenueCents: 1500, cancelled: 0 },
        { minute: '2024-05-01T12:07', orders: 1, revenueCents: 990, cancelled: 1 },
        { minute: '2024-05-01T12:59', orders: 3, revenueCents: 3000, cancelled: 2 },
      ],
      totals: { orders: 6, revenueCents: 5490, cancelled: 3 },
    });
    expect(dynamo.inputsOf('QueryCommand')).toEqual([
      {
        TableName: 'analytics-table',
        KeyConditionExpression: 'pk = :pk AND sk BETWEEN :from AND :to',
        ExpressionAttributeValues: { ':pk': 'SALES', ':from': '2024-05-01T12:00', ':to': '2024-05-01T12:59' },
      },
    ]);
  });

  it('defaults to the last 60 minutes, up to the current one', async () => {
    fakeDateOnly(new Date('2024-05-01T12:59:30.000Z'));

    const response = await handler(salesEvent(), lambdaContext());

    expect(bodyOf(response)).toMatchObject({ from: '2024-05-01T12:00', to: '2024-05-01T12:59', totals: { orders: 6 } });
  });

  it('truncates timestamps to their minute, converting offsets to UTC', async () => {
    const response = await handler(
      salesEvent({ from: '2024-05-01T14:07:59.999+02:00', to: '2024-05-01T13:00:00Z' }),
      lambdaContext(),
    );

    expect(bodyOf(response)).toMatchObject({ from: '2024-05-01T12:07', to: '2024-05-01T13:00', totals: { orders: 9, revenueCents: 8990 } });
  });

  it('answers every minute with zero totals when nothing sold', async () => {
    const response = await handler(salesEvent({ from: '2024-04-30T00:00', to: '2024-04-30T23:59' }), lambdaContext());

    expect(bodyOf(response)).toEqual({
      from: '2024-04-30T00:00',
      to: '2024-04-30T23:59',
      minutes: [],
      totals: { orders: 0, revenueCents: 0, cancelled: 0 },
    });
  });

  it('reads every page of a long range', async () => {
    dynamo
      .once('QueryCommand', () => ({ Items: [minuteItem('2024-05-01T12:00', 2, 1500)], LastEvaluatedKey: { pk: 'SALES', sk: '2024-05-01T12:00' } }))
      .once('QueryCommand', () => ({ Items: [minuteItem('2024-05-01T12:07', 1, 990, 1)] }));

    const response = await handler(salesEvent({ from: '2024-05-01T12:00', to: '2024-05-01T12:30' }), lambdaContext());

    expect(bodyOf(response)).toMatchObject({ totals: { orders: 3, revenueCents: 2490, cancelled: 1 } });
    expect(dynamo.inputsOf('QueryCommand')[1]).toMatchObject({ ExclusiveStartKey: { pk: 'SALES', sk: '2024-05-01T12:00' } });
  });

  it('accepts a range of exactly 1440 minutes', async () => {
    const response = await handler(salesEvent({ from: '2024-05-01T00:00', to: '2024-05-02T00:00' }), lambdaContext());

    expect(response.statusCode).toBe(200);
  });

  it.each([
    [{ from: 'yesterday' }, ['from']],
    [{ to: '2024-05-01' }, ['to']],
    [{ from: '2024-02-30T00:00', to: '2024-13-01T00:00' }, ['from', 'to']],
    [{ from: '2024-05-01T24:00', to: '2024-05-01T12:00' }, ['from']],
    [{ from: '1714564800000' }, ['from']],
    [{ from: '2024-05-01T12:01', to: '2024-05-01T12:00' }, ['from']],
    [{ from: '2024-05-01T00:00', to: '2024-05-02T00:01' }, ['from']],
  ])('answers 400 for %p naming %p', async (query, fields) => {
    const response = await handler(salesEvent(query), lambdaContext());

    expect(response.statusCode).toBe(400);
    expect(fieldsOf(response)).toEqual(fields);
    expect(dynamo.inputsOf('QueryCommand')).toEqual([]);
  });

  it('says why a reversed range is rejected', async () => {
    const response = await handler(salesEvent({ from: '2024-05-01T12:01', to: '2024-05-01T12:00' }), lambdaContext());

    expect(problemOf(response).errors).toEqual([{ field: 'from', message: 'must not be after to' }]);
  });

  it('says why a range over a day is rejected', async () => {
    const response = await handler(salesEvent({ from: '2024-05-01T00:00', to: '2024-05-03T00:00' }), lambdaContext());

    expect(problemOf(response).errors).toEqual([{ field: 'from', message: 'must be at most 1440 minutes before to' }]);
  });

  describe('for the staff only', () => {
    const query = { from: '2024-05-01T12:00', to: '2024-05-01T12:59' };

    it('answers 401 application/problem+json without a signed-in user, reading no table', async () => {
      const response = await handler(salesEvent(query, null), lambdaContext());

      expect(response.statusCode).toBe(401);
      expect(problemOf(response)).toMatchObject({ type: expect.stringMatching(/unauthorized$/), status: 401 });
      expect(dynamo.inputsOf('QueryCommand')).toEqual([]);
    });

    it.each([
      ['in no group', customerClaims(TEST_CUSTOMER_ID)],
      ['in other groups only', customerClaims(TEST_CUSTOMER_ID, 'support,marketing')],
    ])('answers 403 naming Authorization to a signed-in customer %s, reading no table', async (_case, claims) => {
      const response = await handler(salesEvent(query, claims), lambdaContext());

      expect(response.statusCode).toBe(403);
      expect(problemOf(response)).toMatchObject({ type: expect.stringMatching(/forbidden$/), status: 403 });
      expect(fieldsOf(response)).toEqual(['Authorization']);
      expect(dynamo.inputsOf('QueryCommand')).toEqual([]);
    });

    it('answers 403 before it checks the range, so a customer learns nothing of the route', async () => {
      const response = await handler(salesEvent({ from: 'yesterday' }, customerClaims()), lambdaContext());

      expect(response.statusCode).toBe(403);
    });

    it('answers 200 to a member of the staff group among others', async () => {
      const response = await handler(salesEvent(query, customerClaims('staff-2', 'support,staff')), lambdaContext());

      expect(response.statusCode).toBe(200);
      expect(bodyOf(response)).toMatchObject({ totals: { orders: 6, revenueCents: 5490, cancelled: 3 } });
    });
  });
});
