import '../support/quiet-env';
import { jsonRequestEvent, lambdaContext } from '../factories/api-gateway-event';
import { handlerUnderTest } from '../support/handler-under-test';
import { contractFile, ContractValidator, expectSameVerdicts, requestBodySchema } from './contract-documents';

/**
 * POST /reservations accepts exactly the bodies its document does: the handler itself against the document's schema.
 * Accepted means answered anything but 400: past validation the tables are fakes that answer nothing.
 */
const { handler } = handlerUnderTest(() => import('../../../lambdas/inventory/handlers/create-reservation'), {
  STOCK_TABLE_NAME: 'stock-table',
  RESERVATIONS_TABLE_NAME: 'reservations-table',
  HTTP_MAX_BODY_BYTES: String(1024 * 1024),
});

describe('POST /reservations against its OpenAPI document', () => {
  it('accepts exactly the bodies the document accepts', async () => {
    const schema = requestBodySchema(contractFile('internal-api.openapi.json'), 'POST', '/reservations');

    await expectSameVerdicts(new ContractValidator(), schema, async (body) => {
      const event = jsonRequestEvent('POST', '/reservations', JSON.stringify(body));
      return (await handler(event, lambdaContext())).statusCode !== 400;
    });
  });
});
