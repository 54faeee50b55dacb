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
import { LocalEventBridge } from '../../../../local/eventbridge/local-event-bridge';
import { ARN, CONTEXT, modelOf } from './bus-template';
import { ec2Event } from './event-factories';
import { FakeTargetPorts } from './fake-target-ports';

function localBridge(): LocalEventBridge {
  return new LocalEventBridge({ model: modelOf(), region: CONTEXT.region, accountId: CONTEXT.accountId, partition: CONTEXT.partition, ports: new FakeTargetPorts() });
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
    edge.register(eventBridgeEdgeService(() => bridge));
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
    const service = eventBridgeEdgeService(() => undefined);
    expect(service.matches(edgeRequest('POST', '/', {}, 'AWSEvents.PutEvents'))).toBe(true);
    expect(service.matches(edgeRequest('GET', '/_local/eventbridge/faults'))).toBe(true);
    expect(service.matches(edgeRequest('POST', '/', {}, 'DynamoDB_20120810.GetItem'))).toBe(false);
    expect(service.matches(edgeRequest('GET', '/_local/faults'))).toBe(false);
  });

  it('answers 503 while the runtime is starting', async () => {
    const response = await eventBridgeEdgeService(() => undefined).handle(edgeRequest('POST', '/', {}, 'AWSEvents.PutEvents'));
    expect(response.status).toBe(503);
  });

  it('answers UnknownOperationException for what it does not serve', async () => {
    // Act
    const response = await eventBridgeEdgeService(() => localBridge()).handle(edgeRequest('POST', '/', { Name: 'x' }, 'AWSEvents.PutRule'));

    // Assess
    expect(response.status).toBe(400);
    expect(JSON.parse(String(response.body))).toMatchObject({ __type: 'UnknownOperationException' });
  });

  it('sets, shows and clears the PutEvents fault over HTTP, so a partial failure fails entries', async () => {
    // Prepare
    const bridge = localBridge();
    const service = eventBridgeEdgeService(() => bridge);
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
    const response = await eventBridgeEdgeService(() => localBridge()).handle(edgeRequest('POST', '/_local/eventbridge/faults', { failEntries: 'all' }));

    // Assess
    expect(response.status).toBe(400);
    expect(String(response.body)).toContain('failEntries is \\"all\\"');
  });
});
