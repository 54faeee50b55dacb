/**
 * The event schemas accept exactly what a consumer accepts: generated events (valid ones from the schema, mutations of
 * them, any JSON) are checked by `parseEventBridgeEvent` and by the schema file (ajv), and the verdicts must agree.
 * Every published event and every example validates. The request bodies' twin: `*-acceptance.test.ts` here.
 */
import fc from 'fast-check';
import { DETAIL_TYPES, type DetailType, parseEventBridgeEvent } from '../../../lambdas/shared/events/contracts';
import { anEvent, eventBridgeDelivery } from '../factories/events';
import { contractFile, ContractValidator, expectSameVerdicts, type Json, requestBodySchema } from './contract-documents';
import { validOf } from './json-schema-arbitrary';

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

describe('the event schemas', () => {
  const schemaOf = (detailType: DetailType): Json => contractFile(`events/${detailType}.schema.json`);

  it.each(DETAIL_TYPES)('accept exactly the %s events a consumer accepts', async (detailType) => {
    await expectSameVerdicts(validator, schemaOf(detailType), (event) => accepts(() => parseEventBridgeEvent(event)), 200);
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
