import '../support/quiet-env';
import { apiGatewayEvent, lambdaContext } from '../factories/api-gateway-event';
import { FIXTURE_ORDER_ID } from '../factories/events';
import { handlerUnderTest } from '../support/handler-under-test';
import { contractFile, ContractValidator, expectSameVerdicts, requestBodySchema } from './contract-documents';

/**
 * POST /orders/{id}/cancel accepts exactly the bodies its document does: the handler itself against the document's
 * schema. Accepted means answered anything but 400: past validation the orders table is a fake that answers nothing.
 */
const { handler } = handlerUnderTest(() => import('../../../lambdas/orders/handlers/cancel-order'), {
  ORDERS_TABLE_NAME: 'orders-table',
  EVENT_BUS_NAME: 'shop-bus',
  HTTP_MAX_BODY_BYTES: String(1024 * 1024),
}, { plainClient: true });

describe('POST /orders/{id}/cancel against its OpenAPI document', () => {
  it('accepts exactly the bodies the document accepts', async () => {
    const schema = requestBodySchema(contractFile('public-api.openapi.json'), 'POST', '/orders/{id}/cancel');

    await expectSameVerdicts(new ContractValidator(), schema, async (body) => {
      const event = apiGatewayEvent({
        httpMethod: 'POST',
        resource: '/orders/{id}/cancel',
        path: `/orders/${FIXTURE_ORDER_ID}/cancel`,
        pathParameters: { id: FIXTURE_ORDER_ID },
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(body),
      });
      return (await handler(event, lambdaContext())).statusCode !== 400;
    });
  });
});
