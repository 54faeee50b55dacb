/**
 * The documents accept exactly what the handlers accept: for each request body, generated bodies (valid ones from
 * the document's schema, mutations of them, any JSON) are checked by the handler's own validation and by the
 * document's JSON Schema (ajv), and the two verdicts must agree; so must a consumer's parse of an event and the
 * event's schema file.
 */
import fc from 'fast-check';
import { createReservationRequest } from '../../../lambdas/inventory/domain/create-reservation-request';
import { cancelOrderRequest } from '../../../lambdas/orders/domain/cancel-order-request';
import { placeOrderRequest } from '../../../lambdas/orders/domain/place-order-request';
import { DETAIL_TYPES, type DetailType, parseEventBridgeEvent } from '../../../lambdas/shared/events/contracts';
import { parseInput } from '../../../lambdas/shared/validation';
import { anEvent, eventBridgeDelivery } from '../factories/events';
import { contractFile, ContractValidator, type Json, requestBodySchema } from './contract-documents';
import { bodiesOf, validOf } from './json-schema-arbitrary';

const validator = new ContractValidator();
const publicApi = contractFile('public-api.openapi.json');
const internalApi = contractFile('internal-api.openapi.json');

function accepts(parse: () => unknown): boolean {
  try {
    parse();
    return true;
  } catch {
    return false;
  }
}

/**
 * Runs `numRuns` bodies through both and expects the same verdict on each; and that both verdicts occurred, so the
 * property was not decided by one side alone.
 */
function expectSameVerdicts(schema: Json, handlerAccepts: (body: unknown) => boolean, numRuns = 400): void {
  const seen = { accepted: 0, rejected: 0 };
  fc.assert(
    fc.property(bodiesOf(schema), (body) => {
      const document = validator.verdict(schema, body);
      const handler = handlerAccepts(body);
      seen[handler ? 'accepted' : 'rejected']++;
      if (handler !== document.valid) {
        throw new Error(`handler ${handler ? 'accepts' : 'rejects'}, document ${document.valid ? 'accepts' : `rejects (${JSON.stringify(document.errors.map((error) => `${error.instancePath} ${error.message}`))})`}`);
      }
    }),
    { numRuns },
  );
  expect(seen.accepted).toBeGreaterThan(numRuns / 10);
  expect(seen.rejected).toBeGreaterThan(numRuns / 10);
}

describe('the request bodies of the OpenAPI documents', () => {
  it('accept exactly the POST /orders bodies the handler accepts', () => {
    // Prepare: the handler's schema with the per-line limit the stack gives it, which the document states.
    const schema = requestBodySchema(publicApi, 'POST', '/orders');
    const lines = (schema.properties as Json).lines as Json;
    const maxQuantity = (((lines.items as Json).properties as Json).quantity as Json).maximum as number;
    const handlerSchema = placeOrderRequest(maxQuantity);

    // Act / Assess
    expectSameVerdicts(schema, (body) => accepts(() => parseInput(handlerSchema, body, 'body')));
  });

  it('accept exactly the POST /orders/{id}/cancel bodies the handler accepts', () => {
    const schema = requestBodySchema(publicApi, 'POST', '/orders/{id}/cancel');

    // The handler parses `event.body ?? {}`: a JSON null is no reason.
    expectSameVerdicts(schema, (body) => accepts(() => parseInput(cancelOrderRequest, body ?? {}, 'body')));
  });

  it('accept exactly the POST /reservations bodies the handler accepts', () => {
    const schema = requestBodySchema(internalApi, 'POST', '/reservations');

    expectSameVerdicts(schema, (body) => accepts(() => parseInput(createReservationRequest, body, 'body')));
  });
});

describe('the event schemas', () => {
  const schemaOf = (detailType: DetailType): Json => contractFile(`events/${detailType}.schema.json`);

  it.each(DETAIL_TYPES)('accept exactly the %s events a consumer accepts', (detailType) => {
    expectSameVerdicts(schemaOf(detailType), (event) => accepts(() => parseEventBridgeEvent(event)), 200);
  });

  it.each(DETAIL_TYPES)('accept the %s event its producer publishes', (detailType) => {
    // Prepare: the event as the code builds it (newEvent), as EventBridge delivers it.
    const delivered = eventBridgeDelivery(anEvent(detailType));

    // Act
    const verdict = validator.verdict(schemaOf(detailType), JSON.parse(JSON.stringify(delivered)));

    // Assess
    expect(verdict.errors).toEqual([]);
    expect(verdict.valid).toBe(true);
  });

  it.each(DETAIL_TYPES)('give a %s example that both the schema and a consumer accept', (detailType) => {
    const examples = schemaOf(detailType).examples as unknown[];

    expect(examples).toHaveLength(1);
    expect(validator.verdict(schemaOf(detailType), examples[0]).errors).toEqual([]);
    expect(parseEventBridgeEvent(examples[0]).detailType).toBe(detailType);
  });

  it('name one schema per event type in the index', () => {
    const index = contractFile('events/index.json') as { events: { detailType: string; schema: string }[] };

    expect(index.events.map((event) => [event.detailType, event.schema])).toEqual(DETAIL_TYPES.map((detailType) => [detailType, `${detailType}.schema.json`]));
  });
});

describe('the examples of the OpenAPI documents', () => {
  /** Every example beside a schema in `document`: request and response bodies, and parameters. */
  function examplesOf(document: Json): [string, Json, unknown][] {
    const found: [string, Json, unknown][] = [];
    for (const [routePath, methods] of Object.entries(document.paths as Json)) {
      for (const [method, operation] of Object.entries(methods as Json)) {
        const where = `${method.toUpperCase()} ${routePath}`;
        const op = operation as Json;
        const media = (content: unknown, what: string) => {
          for (const [type, item] of Object.entries((content ?? {}) as Json)) {
            const { schema, example } = item as Json;
            if (example !== undefined) found.push([`${where} ${what} ${type}`, schema as Json, example]);
          }
        };
        media((op.requestBody as Json | undefined)?.content, 'request');
        for (const [status, response] of Object.entries(op.responses as Json)) media((response as Json).content, status);
      }
    }
    return found;
  }

  it.each([
    ['public', publicApi],
    ['internal', internalApi],
  ])('each validate against their schema (%s API)', (_name, document) => {
    const examples = examplesOf(document);

    const invalid = examples.filter(([, schema, example]) => !validator.verdict(schema, example).valid).map(([where]) => where);

    expect(examples.length).toBeGreaterThanOrEqual(3);
    expect(invalid).toEqual([]);
  });
});

describe('validOf', () => {
  it('makes only values the schema accepts', () => {
    const schema = requestBodySchema(publicApi, 'POST', '/orders');

    fc.assert(fc.property(validOf(schema), (body) => validator.verdict(schema, body).valid));
  });
});
