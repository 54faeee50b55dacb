import { documentClient } from '../../shared/aws/document-client';
import { requireEnv } from '../../shared/env';
import { eventBridgeHandler } from '../../shared/events/event-handler';
import { eventPublisher } from '../../shared/events/publisher';
import { logger } from '../../shared/logger';
import { DynamoDbShipmentStore } from '../adapters/dynamodb-shipment-store';
import { handleShippingEvent, SHIPPING_EVENTS, type ShippingDeps } from '../domain/handle-shipping-event';

const deps: ShippingDeps = {
  store: new DynamoDbShipmentStore(documentClient(), requireEnv('SHIPMENTS_TABLE_NAME')),
  events: eventPublisher(),
  now: () => new Date(),
};

/**
 * EventBridge rule → this function (asynchronous invocation; the event is the whole EventBridge event):
 * PaymentCaptured → create the shipment, OrderCancelled → cancel it. Idempotent, because invocations and
 * deliveries can repeat. Any failure throws, so Lambda retries the invocation (retry policy) and then sends the
 * event to the on-failure destination (DLQ).
 */
export const handler = eventBridgeHandler({ accepts: SHIPPING_EVENTS }, async (shopEvent) => {
  const outcome = await handleShippingEvent(deps, shopEvent);
  logger.info('shipping event handled', { outcome });
});
