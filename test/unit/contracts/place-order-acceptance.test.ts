import '../support/quiet-env';
import { jsonRequestEvent, lambdaContext } from '../factories/api-gateway-event';
import { handlerUnderTest } from '../support/handler-under-test';
import { PLACE_ORDER_ENV } from '../orders/support/place-order-env';
import { contractFile, ContractValidator, expectSameVerdicts, type Json, requestBodySchema } from './contract-documents';

/**
 * POST /orders accepts exactly the bodies its document does: the handler itself, invoked with API Gateway events that
 * carry generated bodies, against the document's schema. Accepted means answered anything but 400: past validation
 * the tables are fakes that answer nothing, so an accepted body ends in another status.
 */
const schema = requestBodySchema(contractFile('public-api.openapi.json'), 'POST', '/orders');
// The per-line limit the stack gives the function (ORDER_MAX_QUANTITY), which the document states.
const maxQuantity = ((((schema.properties as Json).lines as Json).items as Json).properties as Json).quantity as Json;

const { handler } = handlerUnderTest(() => import('../../../lambdas/orders/handlers/place-order'), {
  ...PLACE_ORDER_ENV,
  ORDER_MAX_QUANTITY: String(maxQuantity.maximum),
  // Far above any generated body: size is not what this compares.
  HTTP_MAX_BODY_BYTES: String(1024 * 1024),
}, { plainClient: true });

describe('POST /orders against its OpenAPI document', () => {
  it('accepts exactly the bodies the document accepts', async () => {
    const validator = new ContractValidator();
    let key = 0;

    await expectSameVerdicts(validator, schema, async (body) => {
      const event = jsonRequestEvent('POST', '/orders', JSON.stringify(body), { 'Idempotency-Key': `key-${++key}` });
      return (await handler(event, lambdaContext())).statusCode !== 400;
    });
  });
});
