import { AlarmTransitions, ConsoleSnapshots } from '../../../../local/console/console-snapshot';
import { consoleService } from '../../../../local/console/console-service';
import { OrderPlacerUnavailableError } from '../../../../local/console/order-placer';
import { cloudWatchService } from '../../../../local/cloudwatch/cloudwatch-service';
import { MetricStore } from '../../../../local/cloudwatch/metric-store';
import { cognitoEdgeService } from '../../../../local/cognito/cognito-edge-service';
import { contractsService } from '../../../../local/contracts/contracts-service';
import { dynamoDbService } from '../../../../local/dynamodb/dynamodb-service';
import { EdgeServer, type EdgeService } from '../../../../local/edge/edge-server';
import { startEventSourceMappings, type RunningEventSourceMappings } from '../../../../local/event-source-mappings/event-source-mappings';
import { mappingControlService } from '../../../../local/event-source-mappings/mapping-control-service';
import { lambdaInvoker } from '../../../../local/event-source-mappings/mapping-invoker';
import { eventBridgeEdgeService } from '../../../../local/eventbridge/eventbridge-edge-service';
import { kinesisService } from '../../../../local/kinesis/kinesis-service';
import { lambdaInvokeEdgeService } from '../../../../local/lambda/async-invoke-api';
import { AsyncInvoker, lambdaFunctions } from '../../../../local/lambda/async-invoker';
import { localControlService } from '../../../../local/lambda/control-service';
import { LambdaService } from '../../../../local/lambda/lambda-service';
import { restApisEdgeService } from '../../../../local/apigateway/rest-api-server';
import { EDGE_ROUTING_ORDER } from '../../../../local/runtime/edge-routing-order';
import { runtimeControlService } from '../../../../local/runtime/runtime-control-service';
import { fauxqsClient } from '../../../../local/sqs/fauxqs-client';
import { sqsService } from '../../../../local/sqs/sqs-service';
import { bridgeOnTemplate, CONTEXT } from '../../../unit/local/eventbridge/bus-template';

/** No emulator listens here: the requests below are all answered by the runtime's own services. */
const NOWHERE = 'http://127.0.0.1:1';

/** Every service the runtime registers on its edge, built on empty backends. */
function runtimeServices(mappings: RunningEventSourceMappings): EdgeService[] {
  const lambda = new LambdaService([]);
  const bridge = bridgeOnTemplate();
  const invoker = new AsyncInvoker({ functions: lambdaFunctions(lambda), destinations: { sendMessage: async () => undefined, putEvent: async () => undefined } });
  return [
    eventBridgeEdgeService(bridge),
    cloudWatchService({ store: new MetricStore(), region: CONTEXT.region, accountId: CONTEXT.accountId }),
    lambdaInvokeEdgeService({ functions: lambdaFunctions(lambda), invoker }),
    mappingControlService(mappings),
    runtimeControlService({
      facts: { stackName: 'Stack', region: CONTEXT.region, timeScale: 1, edgeUrl: NOWHERE },
      settled: async () => undefined,
      cpu: async () => ({ functionsMs: {}, dynamoDbMs: 0, sqsMs: 0 }),
    }),
    // No folder: its answers are 404s, enough to see who answers.
    contractsService({ dir: '/nonexistent/contracts' }),
    consoleService({
      facts: { stackName: 'Stack', edgeUrl: NOWHERE, timeScale: 1, apis: [], contractsPath: '/_local/contracts/' },
      snapshots: new ConsoleSnapshots(
        { metrics: new MetricStore(), alarms: () => [], functions: () => [], mappings: () => [], queues: [], streams: [], timeScale: 1, queueSampleIntervalMs: 1_000 },
        new AlarmTransitions(),
      ),
      onHop: () => () => undefined,
      placer: () => new OrderPlacerUnavailableError('no public API here'),
      redrive: async () => '',
    }),
    localControlService(lambda),
    restApisEdgeService(new Map()),
    dynamoDbService(NOWHERE),
    kinesisService({ kinesisEndpoint: NOWHERE }),
    sqsService({ fauxqsEndpoint: NOWHERE, edgeUrl: NOWHERE, accountId: CONTEXT.accountId, region: CONTEXT.region }),
    cognitoEdgeService(new Map()),
  ];
}

describe('the edge routing order of the local runtime', () => {
  let edge: EdgeServer;
  let url: string;
  let mappings: RunningEventSourceMappings;
  const answeredBy: string[] = [];

  beforeAll(async () => {
    const sqs = fauxqsClient(NOWHERE, CONTEXT.region);
    mappings = await startEventSourceMappings({ mappings: [], invoker: lambdaInvoker(new LambdaService([])), sqs, fauxqsEndpoint: NOWHERE });
    edge = new EdgeServer({ routingOrder: EDGE_ROUTING_ORDER });
    // Registered in the reverse of their order: the order, not the registration, must decide.
    for (const service of runtimeServices(mappings).reverse()) {
      edge.register({
        ...service,
        handle: (req) => {
          answeredBy.push(service.name);
          return service.handle(req);
        },
      });
    }
    ({ url } = await edge.listen(0, '127.0.0.1'));
  });

  afterAll(async () => {
    await edge.close();
    await mappings.stop();
  });

  beforeEach(() => {
    answeredBy.length = 0;
  });

  const answerer = async (path: string, init: RequestInit = {}): Promise<string | undefined> => {
    await (await fetch(`${url}${path}`, init)).text();
    return answeredBy.at(-1);
  };

  it('has a place for every service the runtime registers, and for nothing else', () => {
    expect(edge.serviceNames).toEqual(EDGE_ROUTING_ORDER);
  });

  it.each([
    ['/_local/eventbridge/faults', 'eventbridge'],
    ['/_local/event-source-mappings', 'event-source-mapping-control'],
    ['/_local/runtime', 'runtime-control'],
    ['/_local/settled?timeoutMs=0', 'runtime-control'],
    ['/_local/cpu', 'runtime-control'],
    ['/_local/contracts/', 'contracts'],
    ['/_local/console', 'console'],
    ['/_local/console/console.js', 'console'],
    ['/_local/functions', 'local-control'],
    ['/_local/no-such-thing', 'local-control'],
  ])('gives GET %s to %s (the services with paths of their own under /_local/ before its catch-all)', async (path, service) => {
    expect(await answerer(path)).toBe(service);
  });

  it('gives a query-protocol request to CloudWatch or to SQS by its Version', async () => {
    // Prepare
    const form = (body: string): RequestInit => ({ method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body });

    // Act
    const cloudWatch = await answerer('/', form('Action=ListMetrics&Version=2010-08-01'));
    const sqs = await answerer('/', form('Action=ListQueues&Version=2012-11-05'));

    // Assess
    expect([cloudWatch, sqs]).toEqual(['cloudwatch', 'sqs']);
  });

  it('gives an API request at the execute-api path to the REST APIs, even with an SQS action in its query', async () => {
    expect(await answerer('/_aws/execute-api/abc123/prod/orders?Action=SendMessage')).toBe('apigateway-user-requests');
    expect(await answerer('/restapis/abc123/prod/_user_request_/orders?Action=ListQueues')).toBe('apigateway-user-requests');
  });
});
