import * as z from 'zod/mini';
import { DETAIL_TYPES, EVENT_SOURCES } from '../../shared/events/contracts';
import type { OrderTimeline } from './timeline';

// A file of its own, beside timeline.ts: its enums are values of the event contracts, whose schemas would otherwise
// come into the bundle of GET /orders/{id}/timeline, which parses no event.

/** `OrderTimeline` as a schema: what the API documents say GET /orders/{id}/timeline answers (`npm run contracts`). */
export function orderTimelineSchema(): z.ZodMiniType<OrderTimeline> {
  return z.object({
    orderId: z.string(),
    entries: z.array(
      z.object({
        detailType: z.enum(DETAIL_TYPES),
        source: z.enum(Object.values(EVENT_SOURCES)),
        version: z.int().check(z.minimum(1)),
        occurredAt: z.string().check(z.meta({ format: 'date-time' })),
        eventId: z.string(),
      }),
    ),
  });
}
