/**
 * The JSON Schema of each event type (`docs/contracts/events/<DetailType>.schema.json`), generated from the zod
 * schemas consumers parse events with (`lambdas/shared/events/contracts.ts`): an event as EventBridge delivers it,
 * `{ source, 'detail-type', detail, … }`. Open wherever the zod schema drops unknown fields, so a producer may add
 * fields without breaking a consumer; EventBridge's own fields (`id`, `time`, `account` …) are left undescribed.
 */
import {
  CUSTOMER_FACING_EVENTS,
  DETAIL_TYPES,
  type DetailType,
  eventDetailSchema,
  SOURCE_OF,
} from '../../lambdas/shared/events/contracts';
import { type JsonSchema, jsonSchemaOf } from './json-schema';

/** Where the schemas say they are: `.example` is reserved, so the ids identify and never resolve (as problem types). */
export const EVENT_SCHEMA_ID_BASE = 'https://hybrid-shop.example/contracts/events/';

/** The file of `detailType`'s schema, relative to the events' folder. */
export const eventSchemaFile = (detailType: DetailType): string => `${detailType}.schema.json`;

/** The JSON Schema (draft 2020-12) of a `detailType` event, with `example` as its one `examples` entry when given. */
export function eventJsonSchema(detailType: DetailType, example?: unknown): JsonSchema {
  const source = SOURCE_OF[detailType];
  return {
    $schema: 'https://json-schema.org/draft/2020-12/schema',
    $id: `${EVENT_SCHEMA_ID_BASE}${eventSchemaFile(detailType)}`,
    title: detailType,
    description:
      `A ${detailType} event as EventBridge delivers it: published by ${source} on the shop's bus, its detail the ` +
      'versioned envelope (schemaVersion 1) with the type\'s own fields in detail.data. Amounts are integer cents, in EUR.',
    type: 'object',
    properties: {
      source: { const: source },
      'detail-type': { const: detailType },
      detail: jsonSchemaOf(eventDetailSchema(detailType), `${detailType} detail`),
    },
    required: ['source', 'detail-type', 'detail'],
    ...(example === undefined ? {} : { examples: [example] }),
  };
}

/** The events' index (`events/index.json`): each type, its source, its schema file and whether customers hear of it. */
export function eventIndex(): JsonSchema {
  return {
    events: DETAIL_TYPES.map((detailType) => ({
      detailType,
      source: SOURCE_OF[detailType],
      schema: eventSchemaFile(detailType),
      customerFacing: (CUSTOMER_FACING_EVENTS as readonly string[]).includes(detailType),
    })),
  };
}
