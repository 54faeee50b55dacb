import { KINESIS } from '../../../lib/capacity/aws-quotas';
import { bindsAt, type CapacityLine, capacityModel, CapacityOptionsError, firstBottleneck, loadAt, useAt } from '../../../lib/capacity/capacity-model';
import { capacityTable } from '../../../lib/capacity/capacity-table';
import { kinesisRecordBytes } from '../../../lib/capacity/event-sizes';
import type { ShopBehaviour } from '../../../lib/capacity/shop-behaviour';
import { type CfnTemplate, ShopTemplateError } from '../../../lib/capacity/shop-template';

/**
 * A small shop, written by hand: `POST /orders` on an API whose stage takes 100 requests/s → a function with 10
 * reserved executions writes one item and publishes OrderPlaced → one rule sends it to a FIFO queue (consumer capped at
 * 5) and to a 2-shard stream (one consumer), both read by functions of their own.
 */
function smallShop(overrides: { readonly streamMode?: string; readonly pattern?: unknown; readonly salesShards?: unknown } = {}): CfnTemplate {
  const getAtt = (id: string) => ({ 'Fn::GetAtt': [id, 'Arn'] });
  const fn = (environment: Record<string, unknown>, reserved?: number) => ({
    Type: 'AWS::Lambda::Function',
    Properties: { Environment: { Variables: environment }, ...(reserved === undefined ? {} : { ReservedConcurrentExecutions: reserved }) },
  });
  return {
    Resources: {
      ShopApiRestApi0A1B2C3D: { Type: 'AWS::ApiGateway::RestApi', Properties: {} },
      ShopApiOrders0A1B2C3D: {
        Type: 'AWS::ApiGateway::Resource',
        Properties: { ParentId: { 'Fn::GetAtt': ['ShopApiRestApi0A1B2C3D', 'RootResourceId'] }, PathPart: 'orders', RestApiId: { Ref: 'ShopApiRestApi0A1B2C3D' } },
      },
      ShopApiOrdersPost0A1B2C3D: {
        Type: 'AWS::ApiGateway::Method',
        Properties: {
          HttpMethod: 'POST',
          ResourceId: { Ref: 'ShopApiOrders0A1B2C3D' },
          RestApiId: { Ref: 'ShopApiRestApi0A1B2C3D' },
          Integration: { Uri: { 'Fn::Join': ['', ['arn:aws:apigateway:lambda:path/functions/', getAtt('PlaceFunction0A1B2C3D'), '/invocations']] } },
        },
      },
      ShopApiStage0A1B2C3D: {
        Type: 'AWS::ApiGateway::Stage',
        Properties: { RestApiId: { Ref: 'ShopApiRestApi0A1B2C3D' }, MethodSettings: [{ ResourcePath: '/*', HttpMethod: '*', ThrottlingRateLimit: 100, ThrottlingBurstLimit: 200 }] },
      },
      PlaceFunction0A1B2C3D: fn(
        {
          ORDERS_TABLE_NAME: { Ref: 'OrdersTable0A1B2C3D' },
          EVENT_BUS_NAME: { Ref: 'Bus0A1B2C3D' },
          ...('salesShards' in overrides ? (overrides.salesShards === undefined ? {} : { SALES_SHARD_COUNT: overrides.salesShards }) : { SALES_SHARD_COUNT: '3' }),
        },
        10,
      ),
      WorkerFunction0A1B2C3D: fn({}),
      ProjectorFunction0A1B2C3D: fn({ ORDERS_TABLE_NAME: { Ref: 'OrdersTable0A1B2C3D' } }),
      OrdersTable0A1B2C3D: { Type: 'AWS::DynamoDB::Table', Properties: { BillingMode: 'PAY_PER_REQUEST' } },
      Bus0A1B2C3D: { Type: 'AWS::Events::EventBus', Properties: {} },
      OnPlaced0A1B2C3D: {
        Type: 'AWS::Events::Rule',
        Properties: {
          EventBusName: { Ref: 'Bus0A1B2C3D' },
          EventPattern: overrides.pattern ?? { source: [{ prefix: 'shop.' }], 'detail-type': ['OrderPlaced'] },
          Targets: [{ Arn: getAtt('CommandsQueue0A1B2C3D') }, { Arn: getAtt('LogStream0A1B2C3D') }],
        },
      },
      CommandsQueue0A1B2C3D: { Type: 'AWS::SQS::Queue', Properties: { FifoQueue: true } },
      LogStream0A1B2C3D: { Type: 'AWS::Kinesis::Stream', Properties: { ShardCount: 2, StreamModeDetails: { StreamMode: overrides.streamMode ?? 'PROVISIONED' } } },
      WorkerSource0A1B2C3D: {
        Type: 'AWS::Lambda::EventSourceMapping',
        Properties: { FunctionName: { Ref: 'WorkerFunction0A1B2C3D' }, EventSourceArn: getAtt('CommandsQueue0A1B2C3D'), ScalingConfig: { MaximumConcurrency: 5 } },
      },
      ProjectorSource0A1B2C3D: {
        Type: 'AWS::Lambda::EventSourceMapping',
        Properties: { FunctionName: { Ref: 'ProjectorFunction0A1B2C3D' }, EventSourceArn: getAtt('LogStream0A1B2C3D'), ParallelizationFactor: 1 },
      },
    },
  };
}

const behaviour: ShopBehaviour = {
  requests: [{ api: 'ShopApiRestApi', route: 'POST /orders', handles: 'POST /orders', perOrder: () => 1 }],
  functions: {
    PlaceFunction: {
      on: { 'POST /orders': { code: 'test', items: [{ table: 'ORDERS_TABLE_NAME', op: 'write', hotKey: 'salesMinute' }], publishes: ['OrderPlaced'] } },
    },
    WorkerFunction: { on: {}, otherwise: { code: 'test' } },
    ProjectorFunction: { on: {}, otherwise: { code: 'test', items: [{ table: 'ORDERS_TABLE_NAME', op: 'write', hotKey: 'bestsellerStock' }] } },
  },
};
const durationsMs = { PlaceFunction: 50, WorkerFunction: 100, ProjectorFunction: 10 };

const lineNamed = (lines: readonly CapacityLine[], resource: string): CapacityLine => {
  const line = lines.find((l) => l.resource === resource);
  if (line === undefined) throw new Error(`no line ${resource}; the lines are ${lines.map((l) => l.resource).join(', ')}`);
  return line;
};

describe('capacityModel', () => {
  const model = capacityModel(smallShop(), { behaviour, durationsMs });
  const line = (resource: string) => lineNamed(model.lines, resource);
  const recordBytes = kinesisRecordBytes(1).OrderPlaced;

  it("weighs each method's requests against the stage's throttle, and every API's against the account's", () => {
    expect(line('API ShopApi: POST /orders')).toMatchObject({ perOrder: 1, limit: 100, remedy: { kind: 'sized', knob: { kind: 'stageThrottle', api: 'ShopApiRestApi' } } });
    expect(bindsAt(line('API Gateway: account throttle'))).toBe(10_000);
  });

  it("takes each function's concurrency by Little's law and caps it by its reservation, its queue's MaximumConcurrency or its stream's shards", () => {
    expect(line('Lambda Place')).toMatchObject({ perOrder: 0.05, limit: 10, remedy: { kind: 'sized', knob: { kind: 'reservedConcurrency' } } });
    expect(line('Lambda Worker')).toMatchObject({ perOrder: 0.1, limit: 5, remedy: { kind: 'sized', knob: { kind: 'queueConcurrency' } } });
    expect(line('Lambda Projector')).toMatchObject({ perOrder: 0.01, limit: 2, remedy: { kind: 'sized', knob: { kind: 'streamConsumer', stream: 'LogStream' } } });
    expect(bindsAt(line('Lambda Worker'))).toBeCloseTo(50);
  });

  it('counts reserved executions whatever the rate, and the unreserved functions by their load, against the account', () => {
    const account = line('Lambda: account concurrency');

    expect(account).toMatchObject({ fixed: 10, limit: 1_000 });
    expect(account.perOrder).toBeCloseTo(0.11);
    expect(loadAt(account, 100)).toBeCloseTo(21);
  });

  it('holds the reservations and the 100 executions Lambda keeps unreserved against the account, at any rate', () => {
    const reservations = line('Lambda: reservations');

    expect(reservations).toMatchObject({ perOrder: 0, fixed: 110, limit: 1_000, remedy: { kind: 'quota' } });
    expect(bindsAt(reservations)).toBeUndefined();
  });

  it('counts one PutEvents call an event and one invocation a target it reaches', () => {
    expect(line('EventBridge: PutEvents').perOrder).toBe(1);
    expect(line('EventBridge: invocations').perOrder).toBe(2);
  });

  it('holds a FIFO queue without high throughput to 300 calls a second, and names its mode as the remedy', () => {
    expect(line('SQS CommandsQueue (FIFO): calls per action')).toMatchObject({
      perOrder: 1,
      limit: 300,
      remedy: { kind: 'sized', knob: { kind: 'highThroughputFifo', queue: 'CommandsQueue' } },
    });
  });

  it("weighs the stream's records and bytes against its shards, reads shared by its consumers, and its polls against 5 a shard", () => {
    expect(line('Kinesis LogStream: writes')).toMatchObject({ perOrder: 1, limit: 2 * KINESIS.shardWriteRecordsPerSecond });
    expect(line('Kinesis LogStream: write bytes')).toMatchObject({ perOrder: recordBytes, limit: 2 * KINESIS.shardWriteBytesPerSecond });
    expect(line('Kinesis LogStream: read bytes')).toMatchObject({ perOrder: recordBytes, limit: 2 * KINESIS.shardReadBytesPerSecond });
    const polls = line('Kinesis LogStream: GetRecords per shard');

    expect(polls).toMatchObject({ perOrder: 0, fixed: 1, limit: 5 });
    expect(bindsAt(polls)).toBeUndefined();
  });

  it('puts a hot key on one partition, and the table on its on-demand quota', () => {
    const hot = line("DynamoDB OrdersTable: the bestseller's stock item");

    // 10 % of the orders (the default mix's bestseller share) write it.
    expect(hot).toMatchObject({ limit: 1_000, limitNote: "one partition's writes", remedy: { kind: 'design' } });
    expect(hot.perOrder).toBeCloseTo(0.1);
    expect(line('DynamoDB OrdersTable: table writes')).toMatchObject({ perOrder: 2, limit: 40_000, remedy: { kind: 'quota' } });
  });

  it("spreads a write-sharded key's writes over the shard count its writer's environment gives, one partition each", () => {
    const sharded = line("DynamoDB OrdersTable: the current minute's sales bucket, one per shard (pk SALES, SALES#n)");

    expect(sharded).toMatchObject({
      perOrder: 1,
      limit: 3_000,
      limitNote: "3 shard(s) × one partition's writes",
      remedy: { kind: 'sized', knob: { kind: 'keyShards', function: 'PlaceFunction', variable: 'SALES_SHARD_COUNT' } },
    });
    expect(bindsAt(sharded)).toBe(3_000);
    expect(lineNamed(capacityModel(smallShop({ salesShards: 1 }), { behaviour }).lines, sharded.resource)).toMatchObject({ limit: 1_000 });
  });

  it.each([
    ['absent', undefined],
    ['zero', '0'],
    ['not an integer', '2.5'],
    ['a reference', { Ref: 'OrdersTable0A1B2C3D' }],
  ])("refuses a write-sharded key whose writer's shard count is %s, naming the function and the variable", (_case, salesShards) => {
    expect(() => capacityModel(smallShop({ salesShards }), { behaviour })).toThrow(/PlaceFunction: environment variable SALES_SHARD_COUNT is .*: a write-sharded key needs its shard count/);
  });

  it('names the line that binds lowest as the first bottleneck', () => {
    const first = firstBottleneck(model.lines);

    expect(first?.line.resource).toBe('Lambda Worker');
    expect(first?.ordersPerSecond).toBeCloseTo(50);
    expect(useAt(line('Lambda Worker'), 100)).toBeCloseTo(2);
  });

  it('models a duration from the calls a reaction makes when none is given', () => {
    const modelled = capacityModel(smallShop(), { behaviour });

    // The handler's own 2 ms, one item call of 5 ms and one PutEvents of 20 ms.
    expect(modelled.durations.find((d) => d.function === 'PlaceFunction')).toEqual({ function: 'PlaceFunction', ms: { 'POST /orders': 27 }, source: 'modelled' });
  });

  it('refuses durations of functions no order loads, and a mix out of range, naming each', () => {
    expect(() => capacityModel(smallShop(), { behaviour, durationsMs: { Nope: 5 } })).toThrow(/durations are given for Nope, which no order loads/);
    expect(() => capacityModel(smallShop(), { behaviour, mix: { asyncShare: 1.5, linesPerOrder: 0 } })).toThrow(CapacityOptionsError);
    expect(() => capacityModel(smallShop(), { behaviour, durationsMs: { PlaceFunction: -1 } })).toThrow(/the duration of PlaceFunction is -1/);
  });

  it('refuses what it does not model rather than guess: an ON_DEMAND stream, an event pattern on other fields', () => {
    expect(() => capacityModel(smallShop({ streamMode: 'ON_DEMAND' }), { behaviour })).toThrow(/LogStream is ON_DEMAND: not modelled/);
    expect(() => capacityModel(smallShop({ pattern: { detail: { orderId: ['x'] } } }), { behaviour })).toThrow(ShopTemplateError);
  });

  it('refuses an event a function has no reaction to, naming the function and the event', () => {
    const deaf: ShopBehaviour = { ...behaviour, functions: { ...behaviour.functions, WorkerFunction: { on: {} } } };

    expect(() => capacityModel(smallShop(), { behaviour: deaf })).toThrow(/WorkerFunction is handed OrderPlaced/);
  });
});

describe('capacityTable', () => {
  const model = capacityModel(smallShop(), { behaviour, durationsMs });
  const text = capacityTable(model, { ordersPerSecond: [10, 120], templateSource: 'a small shop' });

  it('shows each line at each rate with its use, bold past the limit, and the rate it binds at', () => {
    expect(text).toContain("| Lambda Worker | 1 handled an order, 100 ms each (given) | 5: its queue's MaximumConcurrency | 1 (20 %) | **12 (240 %)** | 50 |");
    expect(text).toContain("| API ShopApi: POST /orders | 1 an order, the busiest of 1 POST /orders | 100/s: the stage's rate limit for each method (burst 200) | 10/s (10 %) | **120/s (120 %)** | 100 |");
  });

  it('names the first bottleneck, and what lifts each line over its limit', () => {
    expect(text).toContain('First bottleneck: Lambda Worker at 50 orders/s.');
    expect(text).toContain('At 10 orders/s nothing is over its limit.');
    expect(text).toContain("- Lambda Worker: `-c ordersPerSecond=120` grows WorkerFunction's MaximumConcurrency");
    expect(text).toContain("- API ShopApi: POST /orders: `-c ordersPerSecond=120` grows ShopApiRestApi's stage throttle");
    expect(text).not.toContain('- Lambda Place:');
  });

  it('asks for a quota increase to the load, names the code change a design limit needs, and the variable that shards a key', () => {
    const high = capacityTable(model, { ordersPerSecond: [12_000], templateSource: 'a small shop' });

    expect(high).toContain('- API Gateway: account throttle: request a quota increase: API Gateway throttle (requests per second per account and region), to at least 12,000');
    expect(high).toContain("- DynamoDB OrdersTable: the bestseller's stock item: needs a code change: spread the bestseller's stock over several items");
    expect(high).toContain("- DynamoDB OrdersTable: the current minute's sales bucket, one per shard (pk SALES, SALES#n): `-c ordersPerSecond=12000` grows PlaceFunction's SALES_SHARD_COUNT");
  });

  it('says where each duration comes from', () => {
    expect(text).toContain('| WorkerFunction | 1.00 OrderPlaced | 100 | --durations |');
  });
});
