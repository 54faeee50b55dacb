import {
  DescribeReplayCommand,
  EventBridgeClient,
  ListTargetsByRuleCommand,
  PutEventsCommand,
  StartReplayCommand,
  TestEventPatternCommand,
} from '@aws-sdk/client-eventbridge';
import { EdgeServer, type EdgeRequest } from '../../../../local/edge/edge-server';
import { eventBridgeEdgeService } from '../../../../local/eventbridge/eventbridge-edge-service';
import { LocalEventBridge, type PublishedEvent } from '../../../../local/eventbridge/local-event-bridge';
import type { PutEventsRefusal } from '../../../../local/eventbridge/put-events-authorization';
import { adminCaller, callerDirectory, functionCaller } from '../../../../local/iam/api-callers';
import { parsePolicyDocument } from '../../../../local/iam/iam-policy';
import { ARN, bridgeOnTemplate, CONTEXT } from '../../../unit/local/eventbridge/bus-template';
import { ec2Event } from '../../../unit/local/eventbridge/event-factories';

function localBridge(): LocalEventBridge {
  return bridgeOnTemplate();
}

function edgeRequest(method: string, path: string, body?: unknown, target?: string): EdgeRequest {
  return {
    method,
    url: new URL(path, 'http://127.0.0.1:4566'),
    headers: { 'content-type': 'application/x-amz-json-1.1', ...(target ? { 'x-amz-target': target } : {}) },
    body: Buffer.from(body === undefined ? '' : typeof body === 'string' ? body : JSON.stringify(body)),
  };
}

describe('the EventBridge edge service, through the AWS SDK', () => {
  let edge: EdgeServer;
  let bridge: LocalEventBridge;
  let client: EventBridgeClient;

  beforeAll(async () => {
    bridge = localBridge();
    edge = new EdgeServer();
    edge.register(eventBridgeEdgeService(bridge));
    const { url } = await edge.listen();
    client = new EventBridgeClient({ endpoint: url, region: 'us-east-1', credentials: { accessKeyId: 'test', secretAccessKey: 'test' }, maxAttempts: 1 });
  });

  afterAll(async () => {
    client.destroy();
    bridge.stop();
    await edge.close();
  });

  it('answers TestEventPattern with { Result: true | false }', async () => {
    // Prepare
    const pattern = JSON.stringify({ source: ['aws.ec2'], detail: { state: ['terminated'] } });

    // Act
    const yes = await client.send(new TestEventPatternCommand({ EventPattern: pattern, Event: JSON.stringify(ec2Event()) }));
    const no = await client.send(new TestEventPatternCommand({ EventPattern: pattern, Event: JSON.stringify(ec2Event({ state: 'running' })) }));

    // Assess
    expect(yes.Result).toBe(true);
    expect(no.Result).toBe(false);
  });

  it('answers InvalidEventPatternException for a bad pattern, as AWS does', async () => {
    await expect(
      client.send(new TestEventPatternCommand({ EventPattern: '{"source": "aws.ec2"}', Event: JSON.stringify(ec2Event()) })),
    ).rejects.toMatchObject({ name: 'InvalidEventPatternException', message: 'Event pattern is not valid. Reason: "source" must be an object or an array' });
  });

  it('answers ValidationException for an event without the mandatory fields', async () => {
    await expect(
      client.send(new TestEventPatternCommand({ EventPattern: '{"source": ["aws.ec2"]}', Event: '{"source": "aws.ec2"}' })),
    ).rejects.toMatchObject({ name: 'ValidationException', message: 'Parameter Event is not valid.' });
  });

  it('serves PutEvents with per-entry results', async () => {
    // Act
    const response = await client.send(
      new PutEventsCommand({
        Entries: [
          { Source: 'shop.orders', DetailType: 'OrderPlaced', Detail: '{"orderId":"o-1"}', EventBusName: 'HybridShop-bus', Time: new Date() },
          { Source: 'shop.orders', DetailType: 'OrderPlaced', Detail: 'not json', EventBusName: 'HybridShop-bus' },
        ],
      }),
    );

    // Assess
    expect(response.FailedEntryCount).toBe(1);
    expect(response.Entries?.[0].EventId).toBeDefined();
    expect(response.Entries?.[1]).toMatchObject({ ErrorCode: 'MalformedDetail' });
  });

  it('serves ListTargetsByRule', async () => {
    const response = await client.send(new ListTargetsByRuleCommand({ Rule: 'HybridShop-NotificationsRule', EventBusName: 'HybridShop-bus' }));
    expect(response.Targets?.[0]).toMatchObject({ Arn: ARN.notificationsQueue, DeadLetterConfig: { Arn: ARN.notificationsDlq } });
  });

  it('takes StartReplay timestamps as JSON 1.1 epoch seconds and answers them the same way', async () => {
    // Prepare
    const start = new Date(Date.now() - 60_000);
    const end = new Date(Date.now() - 1000);

    // Act
    await client.send(new StartReplayCommand({ ReplayName: 'sdk', EventSourceArn: ARN.archive, EventStartTime: start, EventEndTime: end, Destination: { Arn: ARN.bus } }));
    const replay = await client.send(new DescribeReplayCommand({ ReplayName: 'sdk' }));

    // Assess
    expect(replay.EventStartTime?.getTime()).toBe(start.getTime());
    expect(replay.EventEndTime?.getTime()).toBe(end.getTime());
  });
});

describe('the EventBridge edge service', () => {
  it('matches AWSEvents targets and /_local/eventbridge, nothing else', () => {
    const service = eventBridgeEdgeService(localBridge());
    expect(service.matches(edgeRequest('POST', '/', {}, 'AWSEvents.PutEvents'))).toBe(true);
    expect(service.matches(edgeRequest('GET', '/_local/eventbridge/faults'))).toBe(true);
    expect(service.matches(edgeRequest('POST', '/', {}, 'DynamoDB_20120810.GetItem'))).toBe(false);
    expect(service.matches(edgeRequest('GET', '/_local/faults'))).toBe(false);
  });

  it('answers UnknownOperationException for what it does not serve', async () => {
    // Act
    const response = await eventBridgeEdgeService(localBridge()).handle(edgeRequest('POST', '/', { Name: 'x' }, 'AWSEvents.PutRule'));

    // Assess
    expect(response.status).toBe(400);
    expect(JSON.parse(String(response.body))).toMatchObject({ __type: 'UnknownOperationException' });
  });

  it('sets, shows and clears the PutEvents fault over HTTP, so a partial failure fails entries', async () => {
    // Prepare
    const bridge = localBridge();
    const service = eventBridgeEdgeService(bridge);
    const put = () =>
      service.handle(
        edgeRequest('POST', '/', { Entries: [{ Source: 'shop.orders', DetailType: 'OrderPlaced', Detail: '{}', EventBusName: 'HybridShop-bus' }] }, 'AWSEvents.PutEvents'),
      );

    // Act
    const set = await service.handle(edgeRequest('POST', '/_local/eventbridge/faults', { failEntries: 1 }));
    const shown = await service.handle(edgeRequest('GET', '/_local/eventbridge/faults'));
    const failed = JSON.parse(String((await put()).body));
    const cleared = await service.handle(edgeRequest('DELETE', '/_local/eventbridge/faults'));
    const succeeded = JSON.parse(String((await put()).body));
    bridge.stop();

    // Assess
    expect(set.status).toBe(200);
    expect(JSON.parse(String(shown.body))).toEqual({ fault: { failEntries: 1 } });
    expect(failed.FailedEntryCount).toBe(1);
    expect(cleared.status).toBe(200);
    expect(succeeded.FailedEntryCount).toBe(0);
  });

  it('answers 400 naming the problem for a bad fault', async () => {
    // Act
    const response = await eventBridgeEdgeService(localBridge()).handle(edgeRequest('POST', '/_local/eventbridge/faults', { failEntries: 'all' }));

    // Assess
    expect(response.status).toBe(400);
    expect(String(response.body)).toContain('failEntries is \\"all\\"');
  });
});

describe('the EventBridge edge service, authorizing PutEvents as IAM does', () => {
  const ADMIN = { accessKeyId: 'test', secretAccessKey: 'test' };
  const ORDERS = { accessKeyId: 'LOCAL0RDERS000000001', secretAccessKey: 'orders-secret', sessionToken: 'orders-token' };
  const PAYMENTS = { accessKeyId: 'LOCALPAYMENTS0000002', secretAccessKey: 'payments-secret', sessionToken: 'payments-token' };
  /** A function calling with its own key, its role's policy given as a template's statements. */
  const fnCaller = (credentials: typeof ORDERS, name: string, statements: unknown[]) =>
    functionCaller({ credentials, functionName: name, roleName: `${name}Role`, roleId: 'AROAEXAMPLE', accountId: CONTEXT.accountId, statements: parsePolicyDocument({ Statement: statements }) });
  const entry = (source: string, detailType = 'OrderPlaced') => ({ Source: source, DetailType: detailType, Detail: '{"orderId":"o-1"}', EventBusName: 'HybridShop-bus' });

  let edge: EdgeServer;
  let bridge: LocalEventBridge;
  let url: string;
  const published: PublishedEvent[] = [];
  const refusals: PutEventsRefusal[] = [];
  const clients: EventBridgeClient[] = [];
  const clientFor = (credentials: { accessKeyId: string; secretAccessKey: string; sessionToken?: string }) => {
    const client = new EventBridgeClient({ endpoint: url, region: CONTEXT.region, credentials, maxAttempts: 1 });
    clients.push(client);
    return client;
  };

  beforeAll(async () => {
    bridge = bridgeOnTemplate({ onPublished: (event) => published.push(event) });
    const callers = callerDirectory([
      adminCaller(ADMIN, CONTEXT.accountId),
      // What the grant will say once it carries its sources: orders may state the orders' facts only.
      fnCaller(ORDERS, 'orders', [{ Effect: 'Allow', Action: 'events:PutEvents', Resource: ARN.bus, Condition: { StringEquals: { 'events:source': 'shop.orders' } } }]),
      // Payments may put anything but OrderPlaced.
      fnCaller(PAYMENTS, 'payments', [
        { Effect: 'Allow', Action: 'events:PutEvents', Resource: ARN.bus },
        { Effect: 'Deny', Action: 'events:PutEvents', Resource: '*', Condition: { 'ForAnyValue:StringEquals': { 'events:detail-type': 'OrderPlaced' } } },
      ]),
    ]);
    edge = new EdgeServer();
    edge.register(
      eventBridgeEdgeService(bridge, {
        callers,
        region: CONTEXT.region,
        accountId: CONTEXT.accountId,
        partition: CONTEXT.partition,
        onRefused: (refusal) => refusals.push(refusal),
      }),
    );
    ({ url } = await edge.listen());
  });

  beforeEach(() => {
    published.length = 0;
    refusals.length = 0;
  });

  afterAll(async () => {
    for (const client of clients) client.destroy();
    bridge.stop();
    await edge.close();
  });

  it('lets a function put events with a source its role allows', async () => {
    // Act
    const response = await clientFor(ORDERS).send(new PutEventsCommand({ Entries: [entry('shop.orders'), entry('shop.orders', 'OrderCancelled')] }));

    // Assess
    expect(response.FailedEntryCount).toBe(0);
    expect(published.map((event) => event.source)).toEqual(['shop.orders', 'shop.orders']);
  });

  it("refuses a function a source its role does not allow, with EventBridge's AccessDeniedException, and publishes nothing", async () => {
    // Act
    const refused = clientFor(ORDERS).send(new PutEventsCommand({ Entries: [entry('shop.payments', 'PaymentCaptured')] }));

    // Assess
    await expect(refused).rejects.toMatchObject({
      name: 'AccessDeniedException',
      message: `User: arn:aws:sts::000000000000:assumed-role/ordersRole/orders is not authorized to perform: events:PutEvents on resource: ${ARN.bus} because no identity-based policy allows the events:PutEvents action`,
      $metadata: { httpStatusCode: 400 },
    });
    expect(published).toEqual([]);
    expect(refusals).toEqual([expect.objectContaining({ caller: 'arn:aws:sts::000000000000:assumed-role/ordersRole/orders', errorType: 'AccessDeniedException' })]);
  });

  it('refuses the whole call when one of its entries has a source the role does not allow', async () => {
    // Act
    const refused = clientFor(ORDERS).send(new PutEventsCommand({ Entries: [entry('shop.orders'), entry('shop.payments', 'PaymentCaptured')] }));

    // Assess
    await expect(refused).rejects.toMatchObject({ name: 'AccessDeniedException' });
    expect(published).toEqual([]);
  });

  it('names an explicit deny as IAM does', async () => {
    // Act
    const allowed = await clientFor(PAYMENTS).send(new PutEventsCommand({ Entries: [entry('shop.payments', 'PaymentCaptured')] }));
    const refused = clientFor(PAYMENTS).send(new PutEventsCommand({ Entries: [entry('shop.payments', 'PaymentCaptured'), entry('shop.orders', 'OrderPlaced')] }));

    // Assess
    expect(allowed.FailedEntryCount).toBe(0);
    await expect(refused).rejects.toMatchObject({
      name: 'AccessDeniedException',
      message: `User: arn:aws:sts::000000000000:assumed-role/paymentsRole/payments is not authorized to perform: events:PutEvents on resource: ${ARN.bus} with an explicit deny in an identity-based policy`,
    });
  });

  it('authorizes the bus an entry names by ARN, and the default bus for an entry that names none', async () => {
    // Act
    const byArn = await clientFor(ORDERS).send(new PutEventsCommand({ Entries: [{ ...entry('shop.orders'), EventBusName: ARN.bus }] }));
    const onDefault = clientFor(ORDERS).send(new PutEventsCommand({ Entries: [{ Source: 'shop.orders', DetailType: 'OrderPlaced', Detail: '{}' }] }));

    // Assess
    expect(byArn.FailedEntryCount).toBe(0);
    await expect(onDefault).rejects.toMatchObject({ message: expect.stringContaining('on resource: arn:aws:events:us-east-1:000000000000:event-bus/default because') });
  });

  it('serves the admin pair whatever the source, as before', async () => {
    // Act
    const response = await clientFor(ADMIN).send(new PutEventsCommand({ Entries: [entry('shop.payments', 'PaymentCaptured'), entry('shop.orders')] }));

    // Assess
    expect(response.FailedEntryCount).toBe(0);
    expect(refusals).toEqual([]);
  });

  it('serves, unchecked as before, an unsigned PutEvents and one signed with a key the runtime did not hand out', async () => {
    // Prepare
    const body = { Entries: [entry('shop.payments', 'PaymentCaptured')] };
    const foreignKey = 'AWS4-HMAC-SHA256 Credential=AKIAIOSFODNN7EXAMPLE/20260304/us-east-1/events/aws4_request, SignedHeaders=host, Signature=00';
    const request = edgeRequest('POST', '/', body, 'AWSEvents.PutEvents');
    const service = eventBridgeEdgeService(bridge, { callers: callerDirectory([]), region: CONTEXT.region, accountId: CONTEXT.accountId });

    // Act
    const unsigned = await service.handle(request);
    const foreign = await service.handle({ ...request, headers: { ...request.headers, authorization: foreignKey } });

    // Assess
    expect(JSON.parse(String(unsigned.body))).toMatchObject({ FailedEntryCount: 0 });
    expect(JSON.parse(String(foreign.body))).toMatchObject({ FailedEntryCount: 0 });
  });

  it("refuses a function's key with the wrong secret: the signature is verified before the policy", async () => {
    // Act
    const refused = clientFor({ ...ORDERS, secretAccessKey: 'not-the-secret' }).send(new PutEventsCommand({ Entries: [entry('shop.orders')] }));

    // Assess
    await expect(refused).rejects.toMatchObject({ name: 'InvalidSignatureException', $metadata: { httpStatusCode: 400 } });
    expect(published).toEqual([]);
  });

  it("refuses a function's key without its session token", async () => {
    // Act
    const refused = clientFor({ accessKeyId: ORDERS.accessKeyId, secretAccessKey: ORDERS.secretAccessKey }).send(new PutEventsCommand({ Entries: [entry('shop.orders')] }));

    // Assess
    await expect(refused).rejects.toMatchObject({ name: 'UnrecognizedClientException' });
  });

  it('answers a malformed request from a function with its ValidationException, not an authorization error', async () => {
    // Act
    const refused = clientFor(ORDERS).send(new PutEventsCommand({ Entries: [] }));

    // Assess
    await expect(refused).rejects.toMatchObject({ name: 'ValidationException' });
    expect(refusals).toEqual([]);
  });
});
