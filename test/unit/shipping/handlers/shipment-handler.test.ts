import '../../support/quiet-env';
import { shipmentIdFor } from '../../../../lambdas/shipping/domain/shipment';
import { UnexpectedEventError } from '../../../../lambdas/shared/events/unexpected-event-error';
import { eventIdFor, InvalidEventError } from '../../../../lambdas/shared/events/contracts';
import { PublishError } from '../../../../lambdas/shared/events/publisher';
import { lambdaContext } from '../../factories/api-gateway-event';
import { anEvent, eventBridgeDelivery, FIXTURE_CORRELATION_ID, FIXTURE_ORDER_ID } from '../../factories/events';
import { FakeEventBus } from '../../factories/fulfilment-event-bus';
import { InMemoryTables } from '../../factories/fulfilment-tables';
import { conditionalCheckFailed } from '../../support/fake-dynamodb';
import { handlerUnderTest } from '../../support/handler-under-test';

const CANCEL_CORRELATION_ID = 'cancel-correlation-1';
const SHIPMENT_ID = shipmentIdFor(FIXTURE_ORDER_ID);

/** PaymentCaptured and OrderCancelled as EventBridge invokes the function with them: the whole event. */
const captured = () => eventBridgeDelivery(anEvent('PaymentCaptured'));
const cancelled = () => eventBridgeDelivery(anEvent('OrderCancelled', { correlationId: CANCEL_CORRELATION_ID }));

let tables: InMemoryTables;
let bus: FakeEventBus;

const invoke = (event: unknown) => handler(event, lambdaContext());
const shipment = () => tables.get('shipments-table', { orderId: FIXTURE_ORDER_ID });

const { handler, dynamo } = handlerUnderTest(
  () => import('../../../../lambdas/shipping/handlers/shipment-handler'),
  { SHIPMENTS_TABLE_NAME: 'shipments-table', EVENT_BUS_NAME: 'shop-bus' },
);

beforeEach(() => {
  tables = new InMemoryTables(dynamo, { 'shipments-table': ['orderId'] });
  bus = new FakeEventBus();
});
afterEach(() => {
  bus.restore();
});

describe('shipment-handler', () => {
  it('creates the shipment for PaymentCaptured and publishes ShipmentCreated v1', async () => {
    // Act
    await invoke(captured());

    // Assess
    expect(shipment()).toMatchObject({ status: 'CREATED', shipmentId: SHIPMENT_ID, customerId: 'customer-1' });
    expect(bus.published).toEqual([
      {
        source: 'shop.shipping',
        detailType: 'ShipmentCreated',
        bus: 'shop-bus',
        detail: expect.objectContaining({
          eventId: eventIdFor('shop.shipping', 'ShipmentCreated', FIXTURE_ORDER_ID, 1),
          version: 1,
          correlationId: FIXTURE_CORRELATION_ID,
          data: { customerId: 'customer-1', shipmentId: SHIPMENT_ID },
        }),
      },
    ]);
  });

  it('creates one shipment when PaymentCaptured is delivered twice, publishing the same event again', async () => {
    await invoke(captured());

    await invoke(captured());

    expect(dynamo.inputsOf('PutCommand')).toHaveLength(1);
    expect(bus.summary()).toEqual(['ShipmentCreated v1', 'ShipmentCreated v1']);
    expect(bus.published[1].detail).toEqual(bus.published[0].detail);
  });

  it('cancels a created shipment for OrderCancelled and publishes ShipmentCancelled v2', async () => {
    await invoke(captured());

    await invoke(cancelled());

    expect(shipment()).toMatchObject({ status: 'CANCELLED', cancelCorrelationId: CANCEL_CORRELATION_ID });
    expect(bus.summary()).toEqual(['ShipmentCreated v1', 'ShipmentCancelled v2']);
    expect(bus.published[1].detail).toMatchObject({
      eventId: eventIdFor('shop.shipping', 'ShipmentCancelled', FIXTURE_ORDER_ID, 2),
      correlationId: CANCEL_CORRELATION_ID,
      data: { customerId: 'customer-1', shipmentId: SHIPMENT_ID },
    });
  });

  it('cancels once when OrderCancelled is delivered twice', async () => {
    await invoke(captured());
    await invoke(cancelled());

    await invoke(cancelled());

    expect(dynamo.inputsOf('UpdateCommand')).toHaveLength(1);
    expect(bus.summary()).toEqual(['ShipmentCreated v1', 'ShipmentCancelled v2', 'ShipmentCancelled v2']);
  });

  it('keeps a tombstone for a cancel before any shipment, publishing nothing, and the late PaymentCaptured creates none', async () => {
    // Act: the cancel overtakes the capture
    await invoke(cancelled());
    await invoke(captured());

    // Assess
    expect(shipment()).toMatchObject({ status: 'TOMBSTONE' });
    expect(shipment()).not.toHaveProperty('shipmentId');
    expect(bus.published).toEqual([]);
  });

  it('creates no shipment when a concurrent cancel writes its tombstone first', async () => {
    // Prepare: between the read and the conditional put, the cancel's tombstone lands
    dynamo.once('PutCommand', () => {
      tables.seed('shipments-table', {
        status: 'TOMBSTONE',
        orderId: FIXTURE_ORDER_ID,
        customerId: 'customer-1',
        cancelledAt: '2024-05-01T12:00:01.000Z',
        cancelCorrelationId: CANCEL_CORRELATION_ID,
      });
      throw conditionalCheckFailed();
    });

    // Act
    await invoke(captured());

    // Assess
    expect(shipment()).toMatchObject({ status: 'TOMBSTONE' });
    expect(bus.published).toEqual([]);
  });

  it('throws when the event cannot be published, so Lambda retries it; the retry publishes without a second shipment', async () => {
    bus.refuseNextPut();

    await expect(invoke(captured())).rejects.toBeInstanceOf(PublishError);
    await invoke(captured());

    expect(dynamo.inputsOf('PutCommand')).toHaveLength(1);
    expect(bus.summary()).toEqual(['ShipmentCreated v1']);
  });

  it('throws when the table fails, so Lambda retries it', async () => {
    dynamo.once('GetCommand', () => {
      throw Object.assign(new Error('internal error'), { name: 'InternalServerError' });
    });

    await expect(invoke(captured())).rejects.toThrow('internal error');
    expect(bus.published).toEqual([]);
  });

  it('rejects an event that breaks its contract', async () => {
    const broken = eventBridgeDelivery(anEvent('PaymentCaptured'), { source: 'shop.orders' });

    await expect(invoke(broken)).rejects.toBeInstanceOf(InvalidEventError);
    expect(dynamo.sent).toEqual([]);
  });

  it('rejects an event it is not subscribed to', async () => {
    await expect(invoke(eventBridgeDelivery(anEvent('OrderPlaced')))).rejects.toBeInstanceOf(UnexpectedEventError);
    expect(dynamo.sent).toEqual([]);
  });
});
