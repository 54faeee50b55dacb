import type { Context } from 'aws-lambda';
import { documentClient } from '../../shared/aws/document-client';
import { errorAttributes } from '../../shared/batch/record-failure';
import { requireEnv } from '../../shared/env';
import { parseEventBridgeEvent } from '../../shared/events/contracts';
import { eventPublisher } from '../../shared/events/publisher';
import { logger } from '../../shared/logger';
import { DynamoDbShipmentStore } from '../adapters/dynamodb-shipment-store';
import { handleShippingEvent, type ShippingDeps } from '../domain/handle-shipping-event';

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
export const handler = async (event: unknown, context: Context): Promise<void> => {
  logger.addContext(context);
  const shopEvent = parseEventBridgeEvent(event);
  const { orderId, eventId } = shopEvent.detail;
  try {
    const outcome = await handleShippingEvent(deps, shopEvent);
    logger.info('shipping event handled', { orderId, eventId, detailType: shopEvent.detailType, outcome });
  } catch (error) {
    logger.error('shipping event failed', { orderId, eventId, detailType: shopEvent.detailType, ...errorAttributes(error) });
    throw error;
  }
};
