/**
 * The shop's capacity on AWS, on paper: for each resource of a synthesized template, the load a rate of orders puts on
 * it against its limit (a setting of the template, or an AWS quota), and the rate at which it binds. A template in,
 * lines out: no AWS call. Every load is linear in the rate (`perOrder × orders/s + fixed`), so each line binds at one
 * rate, and the first bottleneck is the line that binds lowest.
 */
import { API_GATEWAY, DYNAMODB, EVENTBRIDGE, KINESIS, LAMBDA, SQS } from './aws-quotas';
import { DEFAULT_ORDER_MIX, type OrderMix, orderMixProblems } from './order-mix';
import { type OrderLoad, orderLoad } from './order-load';
import { HOT_KEYS, modelledDurationMs, SHOP_BEHAVIOUR, type ShopBehaviour } from './shop-behaviour';
import { type CfnTemplate, readShopTemplate, type ShopFunction, type ShopResources, ShopTemplateError } from './shop-template';

/** What the template lets `-c ordersPerSecond` grow. */
export type Knob =
  | { readonly kind: 'shards'; readonly stream: string }
  | { readonly kind: 'streamConsumer'; readonly function: string; readonly stream: string }
  | { readonly kind: 'queueConcurrency'; readonly function: string }
  | { readonly kind: 'reservedConcurrency'; readonly function: string }
  | { readonly kind: 'highThroughputFifo'; readonly queue: string }
  /** The shard count of a write-sharded key: the environment variable `variable` of the function writing it. */
  | { readonly kind: 'keyShards'; readonly function: string; readonly variable: string }
  | { readonly kind: 'stageThrottle'; readonly api: string };

/** What lifts a line's limit. */
export type Remedy =
  /** A setting of the template, which `-c ordersPerSecond=N` sizes. */
  | { readonly kind: 'sized'; readonly knob: Knob }
  /** An AWS quota of the account: request an increase. */
  | { readonly kind: 'quota'; readonly quota: string }
  /** Neither: the code must change. */
  | { readonly kind: 'design'; readonly change: string };

export interface CapacityLine {
  readonly resource: string;
  /** What puts the load on it, per order. */
  readonly loadedBy: string;
  readonly unit: 'requests/s' | 'concurrent' | 'calls/s' | 'invocations/s' | 'records/s' | 'bytes/s' | 'units/s';
  /** The load is `perOrder × orders/s + fixed`. */
  readonly perOrder: number;
  readonly fixed: number;
  readonly limit: number;
  /** Where the limit comes from. */
  readonly limitNote: string;
  readonly remedy: Remedy;
}

/** The duration the model takes for each thing a function handles, and where it comes from. */
export interface FunctionDuration {
  readonly function: string;
  /** Milliseconds per request, message, record or event, by what it handles. */
  readonly ms: Readonly<Record<string, number>>;
  readonly source: 'modelled' | 'given';
}

export interface CapacityOptions {
  /** @default DEFAULT_ORDER_MIX, field by field */
  readonly mix?: Partial<OrderMix>;
  /**
   * Measured durations, in milliseconds per thing handled, by function name (logical ID without the hash, e.g.
   * `OrdersTimelineProjectorFunction`).
   *
   * @default - modelled from each function's calls (shop-behaviour.ts)
   */
  readonly durationsMs?: Readonly<Record<string, number>>;
  /**
   * What customers ask and what each function does.
   *
   * @default SHOP_BEHAVIOUR: the Hybrid Shop's, read from its code
   */
  readonly behaviour?: ShopBehaviour;
}

export interface CapacityModel {
  readonly lines: readonly CapacityLine[];
  readonly mix: OrderMix;
  readonly durations: readonly FunctionDuration[];
  readonly load: OrderLoad;
  readonly shop: ShopResources;
}

/** Thrown for options the model cannot take, naming each problem. */
export class CapacityOptionsError extends Error {
  public constructor(public readonly problems: readonly string[]) {
    super(`Invalid capacity model options:\n${problems.map((p) => `- ${p}`).join('\n')}`);
    this.name = 'CapacityOptionsError';
  }
}

/** The load `line` carries at `ordersPerSecond`. */
export function loadAt(line: CapacityLine, ordersPerSecond: number): number {
  return line.perOrder * ordersPerSecond + line.fixed;
}

/** The share of its limit `line` carries at `ordersPerSecond` (1 = 100 %). */
export function useAt(line: CapacityLine, ordersPerSecond: number): number {
  return loadAt(line, ordersPerSecond) / line.limit;
}

/** The rate of orders at which `line` reaches its limit; undefined when no rate does (its load does not grow). */
export function bindsAt(line: CapacityLine): number | undefined {
  if (line.perOrder <= 0) return line.fixed >= line.limit ? 0 : undefined;
  return Math.max(0, (line.limit - line.fixed) / line.perOrder);
}

/** The line that binds at the lowest rate, and that rate. */
export function firstBottleneck(lines: readonly CapacityLine[]): { readonly line: CapacityLine; readonly ordersPerSecond: number } | undefined {
  let first: { line: CapacityLine; ordersPerSecond: number } | undefined;
  for (const line of lines) {
    const rate = bindsAt(line);
    if (rate !== undefined && (first === undefined || rate < first.ordersPerSecond)) first = { line, ordersPerSecond: rate };
  }
  return first;
}

/** The capacity lines of `template`'s shop. */
export function capacityModel(template: CfnTemplate, options: CapacityOptions = {}): CapacityModel {
  const mix = { ...DEFAULT_ORDER_MIX, ...options.mix };
  const problems = orderMixProblems(mix);
  const given = options.durationsMs ?? {};
  for (const [name, ms] of Object.entries(given)) {
    if (!(Number.isFinite(ms) && ms > 0)) problems.push(`the duration of ${name} is ${ms}: give milliseconds above 0.`);
  }
  if (problems.length > 0) throw new CapacityOptionsError(problems);

  const shop = readShopTemplate(template);
  const behaviour = options.behaviour ?? SHOP_BEHAVIOUR;
  const load = orderLoad(shop, mix, behaviour);
  const loaded = [...load.handled.keys()].map((id) => shop.functions.get(id) as ShopFunction);
  const unknown = Object.keys(given).filter((name) => !loaded.some((fn) => fn.name === name));
  if (unknown.length > 0) {
    throw new CapacityOptionsError([
      `durations are given for ${unknown.join(', ')}, which no order loads; the loaded functions are ${loaded.map((fn) => fn.name).join(', ')}.`,
    ]);
  }
  const durations = loaded.map((fn) => functionDuration(shop, behaviour, fn, load, given));
  const lines = [
    ...apiLines(shop, load),
    ...lambdaLines(shop, load, durations),
    ...eventBridgeLines(load),
    ...queueLines(shop, load),
    ...streamLines(shop, load),
    ...tableLines(shop, load, mix),
  ];
  return { lines, mix, durations, load, shop };
}

function functionDuration(
  shop: ShopResources,
  behaviour: ShopBehaviour,
  fn: ShopFunction,
  load: OrderLoad,
  given: Readonly<Record<string, number>>,
): FunctionDuration {
  const msOf = (target: ShopFunction, what: string): number => {
    const measured = given[target.name];
    if (measured !== undefined) return measured;
    const known = behaviour.functions[target.name];
    const reaction = known?.on[what] ?? known?.otherwise;
    if (reaction === undefined) throw new ShopTemplateError(`${target.name}: no behaviour for ${what}`);
    return modelledDurationMs(reaction, (variable, route) => {
      const api = (target.environment[variable] ?? []).map((id) => shop.apis.get(id)).find((a) => a !== undefined);
      const callee = api === undefined ? undefined : shop.functions.get(api.routes[route] ?? '');
      if (callee === undefined) throw new ShopTemplateError(`${target.name}: ${variable} names no API with a route ${route}`);
      return msOf(callee, route);
    });
  };
  const handled = load.handled.get(fn.id) ?? new Map<string, number>();
  return {
    function: fn.name,
    ms: Object.fromEntries([...handled.keys()].map((what) => [what, msOf(fn, what)])),
    source: given[fn.name] === undefined ? 'modelled' : 'given',
  };
}

const sum = (values: Iterable<number>) => [...values].reduce((total, n) => total + n, 0);
const short = (name: string) => name.replace(/(RestApi|Function)$/, '');
const perOrderText = (n: number) => (Number.isInteger(n) ? String(n) : n.toFixed(n < 1 ? 2 : 1));

function apiLines(shop: ShopResources, load: OrderLoad): CapacityLine[] {
  const lines: CapacityLine[] = [];
  for (const [apiId, routes] of load.apiRequests) {
    const api = shop.apis.get(apiId);
    if (api === undefined) continue;
    // A stage's throttle applies to each method on its own, a method's own throttle in its place: the method that
    // reaches its limit first is the API's line.
    // https://docs.aws.amazon.com/apigateway/latest/developerguide/api-gateway-request-throttling.html
    const throttled = [...routes].flatMap(([route, perOrder]) => {
      const own = api.methodThrottles[route];
      const throttle = own ?? api.stageThrottle;
      return throttle === undefined ? [] : [{ route, perOrder, throttle, own: own !== undefined }];
    });
    if (throttled.length === 0) continue;
    const first = throttled.reduce((low, r) => (r.throttle.rateLimit / r.perOrder < low.throttle.rateLimit / low.perOrder ? r : low));
    const burst = first.throttle.burstLimit.toLocaleString('en-US');
    lines.push({
      resource: `API ${short(api.name)}: ${first.route}`,
      loadedBy: `${perOrderText(first.perOrder)} an order, the busiest of ${[...routes].map(([route, n]) => `${perOrderText(n)} ${route}`).join(', ')}`,
      unit: 'requests/s',
      perOrder: first.perOrder,
      fixed: 0,
      limit: first.throttle.rateLimit,
      limitNote: first.own ? `its method's rate limit (burst ${burst})` : `the stage's rate limit for each method (burst ${burst})`,
      remedy: { kind: 'sized', knob: { kind: 'stageThrottle', api: api.name } },
    });
  }
  lines.push({
    resource: 'API Gateway: account throttle',
    loadedBy: 'every API request',
    unit: 'requests/s',
    perOrder: sum([...load.apiRequests.values()].map((routes) => sum(routes.values()))),
    fixed: 0,
    limit: API_GATEWAY.accountRequestsPerSecond,
    limitNote: `quota, burst ${API_GATEWAY.accountBurst.toLocaleString('en-US')}`,
    remedy: { kind: 'quota', quota: 'API Gateway throttle (requests per second per account and region)' },
  });
  return lines;
}

function lambdaLines(shop: ShopResources, load: OrderLoad, durations: readonly FunctionDuration[]): CapacityLine[] {
  const reservedTotal = sum([...shop.functions.values()].map((fn) => fn.reservedConcurrency ?? 0));
  const pool = LAMBDA.accountConcurrency - reservedTotal;
  const lines: CapacityLine[] = [];
  let unreservedPerOrder = 0;
  for (const duration of durations) {
    const fn = [...shop.functions.values()].find((f) => f.name === duration.function) as ShopFunction;
    const handled = load.handled.get(fn.id) ?? new Map<string, number>();
    // Little's law: executions in flight = arrivals per second × seconds each.
    const perOrder = sum([...handled].map(([what, n]) => (n * (duration.ms[what] ?? 0)) / 1000));
    const count = sum(handled.values());
    if (fn.reservedConcurrency === undefined) unreservedPerOrder += perOrder;
    const caps: { limit: number; note: string; remedy: Remedy }[] = [
      { limit: pool, note: `the unreserved account pool (${LAMBDA.accountConcurrency} − ${reservedTotal} reserved)`, remedy: { kind: 'quota', quota: 'Lambda concurrent executions' } },
    ];
    if (fn.reservedConcurrency !== undefined) {
      caps.push({ limit: fn.reservedConcurrency, note: 'its reserved concurrency', remedy: { kind: 'sized', knob: { kind: 'reservedConcurrency', function: fn.name } } });
    }
    for (const source of shop.eventSources.filter((s) => s.functionId === fn.id)) {
      const stream = shop.streams.get(source.sourceId);
      if (stream !== undefined) {
        caps.push({
          limit: stream.shardCount * source.parallelizationFactor,
          note: `${stream.shardCount} shard(s) × parallelization ${source.parallelizationFactor}`,
          remedy: { kind: 'sized', knob: { kind: 'streamConsumer', function: fn.name, stream: stream.name } },
        });
      } else if (source.maximumConcurrency !== undefined) {
        caps.push({ limit: source.maximumConcurrency, note: "its queue's MaximumConcurrency", remedy: { kind: 'sized', knob: { kind: 'queueConcurrency', function: fn.name } } });
      }
    }
    const cap = caps.reduce((low, c) => (c.limit < low.limit ? c : low));
    const averageMs = count === 0 ? 0 : (perOrder * 1000) / count;
    lines.push({
      resource: `Lambda ${short(fn.name)}`,
      loadedBy: `${perOrderText(count)} handled an order, ${averageMs.toFixed(averageMs < 10 ? 1 : 0)} ms each (${duration.source})`,
      unit: 'concurrent',
      perOrder,
      fixed: 0,
      limit: cap.limit,
      limitNote: cap.note,
      remedy: cap.remedy,
    });
  }
  if (reservedTotal > 0) {
    // Lambda refuses a reservation that leaves fewer than 100 executions unreserved: a deploy-time limit.
    lines.push({
      resource: 'Lambda: reservations',
      loadedBy: `${reservedTotal} reserved + ${LAMBDA.minUnreservedConcurrency} Lambda keeps unreserved, whatever the rate`,
      unit: 'concurrent',
      perOrder: 0,
      fixed: reservedTotal + LAMBDA.minUnreservedConcurrency,
      limit: LAMBDA.accountConcurrency,
      limitNote: 'quota; the deploy fails past it',
      remedy: { kind: 'quota', quota: 'Lambda concurrent executions' },
    });
  }
  lines.push({
    resource: 'Lambda: account concurrency',
    loadedBy: `${reservedTotal} reserved + the unreserved functions' executions`,
    unit: 'concurrent',
    perOrder: unreservedPerOrder,
    fixed: reservedTotal,
    limit: LAMBDA.accountConcurrency,
    limitNote: 'quota',
    remedy: { kind: 'quota', quota: 'Lambda concurrent executions' },
  });
  return lines;
}

function eventBridgeLines(load: OrderLoad): CapacityLine[] {
  const published = [...load.events].map(([type, n]) => `${perOrderText(n)} ${type}`).join(', ');
  return [
    {
      resource: 'EventBridge: PutEvents',
      loadedBy: `one call an event: ${published}`,
      unit: 'calls/s',
      perOrder: load.putEvents,
      fixed: 0,
      limit: EVENTBRIDGE.putEventsPerSecond,
      limitNote: 'quota',
      remedy: { kind: 'quota', quota: 'EventBridge PutEvents throttle limit in transactions per second' },
    },
    {
      resource: 'EventBridge: invocations',
      loadedBy: "each event × the targets of the rules it matches",
      unit: 'invocations/s',
      perOrder: load.invocations,
      fixed: 0,
      limit: EVENTBRIDGE.invocationsPerSecond,
      limitNote: 'quota',
      remedy: { kind: 'quota', quota: 'EventBridge invocations throttle limit in transactions per second' },
    },
  ];
}

function queueLines(shop: ShopResources, load: OrderLoad): CapacityLine[] {
  // Standard queues take a nearly unlimited number of calls: only FIFO queues have a line.
  return [...load.queueSends]
    .map(([id, perOrder]) => ({ queue: shop.queues.get(id), perOrder }))
    .filter(({ queue }) => queue?.fifo === true)
    .map(({ queue, perOrder }) => {
      const q = queue as NonNullable<typeof queue>;
      return {
        resource: `SQS ${q.name} (FIFO): calls per action`,
        loadedBy: `${perOrderText(perOrder)} SendMessage an order, unbatched (Lambda's receives and deletes batch up to 10)`,
        unit: 'calls/s',
        perOrder,
        fixed: 0,
        limit: q.highThroughput ? SQS.highThroughputFifoCallsPerSecondPerAction : SQS.fifoCallsPerSecondPerAction,
        limitNote: q.highThroughput ? 'high-throughput FIFO, us-east-1' : 'FIFO without high throughput',
        remedy: q.highThroughput
          ? { kind: 'quota', quota: 'SQS high-throughput FIFO transactions per second' }
          : { kind: 'sized', knob: { kind: 'highThroughputFifo', queue: q.name } },
      } satisfies CapacityLine;
    });
}

function streamLines(shop: ShopResources, load: OrderLoad): CapacityLine[] {
  const lines: CapacityLine[] = [];
  for (const [id, { records, bytes }] of load.streamRecords) {
    const stream = shop.streams.get(id);
    if (stream === undefined) continue;
    if (stream.mode !== 'PROVISIONED') {
      throw new ShopTemplateError(
        `${stream.name} is ${stream.mode}: not modelled. It starts at ${KINESIS.onDemandInitialWriteBytesPerSecond / (1024 * 1024)} MiB/s ` +
          "and scales its writes itself, but its shard count, which bounds each consumer's concurrency, is AWS's to choose; " +
          'size a PROVISIONED stream instead (-c ordersPerSecond).',
      );
    }
    const consumers = shop.eventSources.filter((s) => s.sourceId === id).length;
    const shards = stream.shardCount;
    const sized: Remedy = { kind: 'sized', knob: { kind: 'shards', stream: stream.name } };
    /** A line whose limit is `perShard` on each of the stream's shards. */
    const shardLine = (what: string, loadedBy: string, unit: CapacityLine['unit'], perOrder: number, perShard: number, perShardNote: string): CapacityLine => ({
      resource: `Kinesis ${stream.name}: ${what}`,
      loadedBy,
      unit,
      perOrder,
      fixed: 0,
      limit: shards * perShard,
      limitNote: `${shards} shard(s) × ${perShardNote}`,
      remedy: sized,
    });
    lines.push(
      shardLine('writes', `${perOrderText(records)} records an order`, 'records/s', records, KINESIS.shardWriteRecordsPerSecond, '1,000 records/s'),
      shardLine('write bytes', `${Math.round(bytes).toLocaleString('en-US')} bytes an order`, 'bytes/s', bytes, KINESIS.shardWriteBytesPerSecond, '1 MiB/s'),
      shardLine(
        'read bytes',
        `every record read by ${consumers} consumer(s), sharing each shard`,
        'bytes/s',
        bytes * consumers,
        KINESIS.shardReadBytesPerSecond,
        '2 MiB/s',
      ),
      {
        resource: `Kinesis ${stream.name}: GetRecords per shard`,
        loadedBy: `${consumers} consumer(s) polling each shard once a second`,
        unit: 'calls/s',
        perOrder: 0,
        fixed: consumers * LAMBDA.kinesisPollsPerShardPerSecond,
        limit: KINESIS.shardGetRecordsPerSecond,
        limitNote: '5 per shard',
        remedy: { kind: 'design', change: 'give consumers beyond the fifth enhanced fan-out (a dedicated 2 MB/s each)' },
      },
    );
  }
  return lines;
}

function tableLines(shop: ShopResources, load: OrderLoad, mix: OrderMix): CapacityLine[] {
  const lines: CapacityLine[] = [];
  for (const { tableId, key, units, writeShards } of load.hotKeyUnits.values()) {
    const table = shop.tables.get(tableId);
    const hot = HOT_KEYS[key];
    const share = `${Math.round(hot.share(mix) * 100)} % of its`;
    const resource = `DynamoDB ${table?.name ?? tableId}: ${hot.what}`;
    if (units.write > 0) {
      // A write-sharded key's writes are spread evenly over its shards (a hash of the order), one partition each.
      const keys = writeShards?.count ?? 1;
      lines.push({
        resource,
        loadedBy: `${share} writes, ${perOrderText(units.write)} units an order`,
        unit: 'units/s',
        perOrder: units.write,
        fixed: 0,
        limit: keys * DYNAMODB.partitionWriteUnitsPerSecond,
        limitNote: writeShards === undefined ? "one partition's writes" : `${keys} shard(s) × one partition's writes`,
        remedy:
          writeShards === undefined
            ? { kind: 'design', change: hot.spread.kind === 'oneKey' ? hot.spread.remedy : `write-shard ${hot.what}` }
            : { kind: 'sized', knob: { kind: 'keyShards', function: writeShards.function, variable: writeShards.variable } },
      });
    }
    if (units.read > 0) {
      // A read of a write-sharded key reads every shard: sharding spreads the writes, not the reads.
      lines.push({
        resource,
        loadedBy: `${share} reads, ${perOrderText(units.read)} units an order`,
        unit: 'units/s',
        perOrder: units.read,
        fixed: 0,
        limit: DYNAMODB.partitionReadUnitsPerSecond,
        limitNote: "one partition's reads",
        remedy: { kind: 'design', change: hot.spread.kind === 'oneKey' ? hot.spread.remedy : `cache the reads of ${hot.what}` },
      });
    }
  }
  for (const [tableId, units] of load.tableUnits) {
    const table = shop.tables.get(tableId);
    if (table === undefined || !table.onDemand) continue;
    const writes = units.write / DYNAMODB.onDemandTableWriteUnitsPerSecond >= units.read / DYNAMODB.onDemandTableReadUnitsPerSecond;
    lines.push({
      resource: `DynamoDB ${table.name}: table ${writes ? 'writes' : 'reads'}`,
      loadedBy: `${perOrderText(writes ? units.write : units.read)} ${writes ? 'write' : 'read'} units an order`,
      unit: 'units/s',
      perOrder: writes ? units.write : units.read,
      fixed: 0,
      limit: writes ? DYNAMODB.onDemandTableWriteUnitsPerSecond : DYNAMODB.onDemandTableReadUnitsPerSecond,
      limitNote: 'on-demand table quota',
      remedy: { kind: 'quota', quota: `DynamoDB table-level ${writes ? 'write' : 'read'} throughput` },
    });
  }
  return lines;
}
