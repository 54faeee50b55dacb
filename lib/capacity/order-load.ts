/**
 * What one order does to each resource of the template: the customers' requests around it go to the API routes the
 * template maps, each function does what SHOP_BEHAVIOUR says, each event it publishes goes to every target of every
 * rule it matches, each message to the queue's consumer, each record to every consumer of the stream. Every figure
 * is per order, averaged over the mix (a share of orders placed asynchronously, a share hitting the bestseller).
 */
import type { DetailType } from '../../lambdas/shared/events/contracts';
import { SOURCE_OF } from '../../lambdas/shared/events/contracts';
import { DYNAMODB } from './aws-quotas';
import { kinesisRecordBytes } from './event-sizes';
import type { OrderMix } from './order-mix';
import { HOT_KEYS, type HotKeyName, type ItemCount, type Reaction, SHOP_BEHAVIOUR, type ShopBehaviour } from './shop-behaviour';
import { type ShopFunction, type ShopResources, ShopTemplateError } from './shop-template';

/** Units a second per order, read and written. */
export interface Units {
  readonly read: number;
  readonly write: number;
}

export interface OrderLoad {
  /** Function id → what it handles → how many per order. */
  readonly handled: ReadonlyMap<string, ReadonlyMap<string, number>>;
  /** API id → route → requests per order. */
  readonly apiRequests: ReadonlyMap<string, ReadonlyMap<string, number>>;
  readonly putEvents: number;
  /** Events delivered to rule targets (EventBridge invocations). */
  readonly invocations: number;
  readonly events: ReadonlyMap<DetailType, number>;
  /** Queue id → SendMessage calls (by functions and by EventBridge) per order. */
  readonly queueSends: ReadonlyMap<string, number>;
  /** Stream id → records and bytes per order. */
  readonly streamRecords: ReadonlyMap<string, { readonly records: number; readonly bytes: number }>;
  /** Table id → units per order. */
  readonly tableUnits: ReadonlyMap<string, Units>;
  /** `<table id> <hot key>` → units per order on that one key (on all its shards together, for a write-sharded key). */
  readonly hotKeyUnits: ReadonlyMap<string, HotKeyLoad>;
}

/** What an order puts on one hot key of a table. */
export interface HotKeyLoad {
  readonly tableId: string;
  readonly key: HotKeyName;
  readonly units: Units;
  /** For a write-sharded key: how many keys its writes are spread over, and which function's variable says so. */
  readonly writeShards?: WriteShards;
}

export interface WriteShards {
  readonly count: number;
  /** The function writing the key (its name: logical ID without the hash). */
  readonly function: string;
  readonly variable: string;
}

/** Every event an order causes goes at most this many hops from the request: deeper is a loop. */
const MAX_HOPS = 30;

class Accumulator<K> {
  readonly values = new Map<K, number>();
  add(key: K, amount: number): void {
    this.values.set(key, (this.values.get(key) ?? 0) + amount);
  }
}

/** The load one order of `mix` puts on the resources of `shop`. */
export function orderLoad(shop: ShopResources, mix: OrderMix, behaviour: ShopBehaviour = SHOP_BEHAVIOUR): OrderLoad {
  const handled = new Map<string, Accumulator<string>>();
  const apiRequests = new Map<string, Accumulator<string>>();
  const events = new Accumulator<DetailType>();
  const queueSends = new Accumulator<string>();
  const records = new Accumulator<string>();
  const bytes = new Accumulator<string>();
  const reads = new Accumulator<string>();
  const writes = new Accumulator<string>();
  const hotReads = new Accumulator<string>();
  const hotWrites = new Accumulator<string>();
  const hotKeys = new Map<string, { tableId: string; key: HotKeyName; writeShards?: WriteShards }>();
  const recordBytes = kinesisRecordBytes(mix.linesPerOrder);
  let putEvents = 0;
  let invocations = 0;

  const apiNamed = (name: string) => [...shop.apis.values()].find((api) => api.name === name);
  const itemsOf = (count: ItemCount | undefined) => (count === 'lines' ? mix.linesPerOrder : (count ?? 1));
  const resourceOf = <T>(fn: ShopFunction, variable: string, among: ReadonlyMap<string, T>, what: string): T => {
    const found = (fn.environment[variable] ?? []).map((id) => among.get(id)).find((resource) => resource !== undefined);
    if (found === undefined) throw new ShopTemplateError(`${fn.name}: environment variable ${variable} names no ${what} of the template`);
    return found;
  };

  /** The shard count of a write-sharded key, from the literal `variable` of the function writing it. */
  const writeShardsOf = (fn: ShopFunction, variable: string): WriteShards => {
    const text = fn.settings[variable];
    const count = text === undefined || !/^\d+$/.test(text.trim()) ? Number.NaN : Number(text);
    if (!(Number.isSafeInteger(count) && count >= 1)) {
      throw new ShopTemplateError(`${fn.name}: environment variable ${variable} is ${JSON.stringify(text)}: a write-sharded key needs its shard count, an integer of at least 1`);
    }
    return { count, function: fn.name, variable };
  };

  /** A call touching `items` items of the table `variable` names, each costing `perItem` units; `hotKey` is one of them. */
  const useTable = (fn: ShopFunction, variable: string, items: number, perItem: Units, hotKey: HotKeyName | undefined, rate: number) => {
    const table = resourceOf(fn, variable, shop.tables, 'table');
    reads.add(table.id, items * perItem.read * rate);
    writes.add(table.id, items * perItem.write * rate);
    if (hotKey === undefined) return;
    const key = `${table.id} ${hotKey}`;
    const spread = HOT_KEYS[hotKey].spread;
    const writeShards = spread.kind === 'writeSharded' && perItem.write > 0 ? writeShardsOf(fn, spread.variable) : undefined;
    const known = hotKeys.get(key)?.writeShards;
    if (known !== undefined && writeShards !== undefined && known.count !== writeShards.count) {
      throw new ShopTemplateError(
        `${table.name}'s ${hotKey} is written over ${known.count} shard(s) by ${known.function} and over ${writeShards.count} by ${fn.name}: ` +
          `give every function writing it the same ${writeShards.variable}`,
      );
    }
    const shards = known ?? writeShards;
    hotKeys.set(key, { tableId: table.id, key: hotKey, ...(shards === undefined ? {} : { writeShards: shards }) });
    const share = HOT_KEYS[hotKey].share(mix);
    hotReads.add(key, perItem.read * share * rate);
    hotWrites.add(key, perItem.write * share * rate);
  };

  const react = (fn: ShopFunction, reaction: Reaction, rate: number, hops: number) => {
    for (const call of reaction.items ?? []) {
      const perItem =
        call.op === 'write'
          ? { read: 0, write: DYNAMODB.writeUnits }
          : { read: call.op === 'read' ? DYNAMODB.eventuallyConsistentReadUnits : DYNAMODB.consistentReadUnits, write: 0 };
      useTable(fn, call.table, itemsOf(call.items), perItem, call.hotKey, rate);
    }
    for (const transaction of reaction.transactions ?? []) {
      for (const write of transaction.writes) {
        useTable(fn, write.table, itemsOf(write.items), { read: 0, write: DYNAMODB.transactionalWriteUnits }, write.hotKey, rate);
      }
    }
    for (const detailType of reaction.publishes ?? []) {
      putEvents += rate;
      publish(resourceOf(fn, 'EVENT_BUS_NAME', shop.buses, 'event bus'), detailType, rate, hops + 1);
    }
    for (const send of reaction.sends ?? []) {
      const queue = resourceOf(fn, send.queue, shop.queues, 'queue');
      queueSends.add(queue.id, rate);
      deliverToConsumers(queue.id, send.message, rate, hops + 1);
    }
    for (const call of reaction.calls ?? []) {
      const api = resourceOf(fn, call.api, shop.apis, 'REST API');
      request(api.id, call.route, call.route, rate, hops + 1);
    }
  };

  const handle = (functionId: string, what: string, rate: number, hops: number) => {
    if (hops > MAX_HOPS) throw new ShopTemplateError(`an order's events go more than ${MAX_HOPS} hops deep (at ${what}): the rules make a loop`);
    const fn = shop.functions.get(functionId);
    if (fn === undefined) throw new ShopTemplateError(`${functionId} is not a function of the template`);
    const known = behaviour.functions[fn.name];
    const reaction = known?.on[what] ?? known?.otherwise;
    if (reaction === undefined) {
      throw new ShopTemplateError(`${fn.name} is handed ${what}, and the model does not know what it does with it: add it to SHOP_BEHAVIOUR (lib/capacity/shop-behaviour.ts)`);
    }
    const counts = handled.get(functionId) ?? new Accumulator<string>();
    handled.set(functionId, counts);
    counts.add(what, rate);
    react(fn, reaction, rate, hops);
  };

  const request = (apiId: string, route: string, what: string, rate: number, hops: number) => {
    const api = shop.apis.get(apiId);
    const target = api?.routes[route];
    if (api === undefined || target === undefined) throw new ShopTemplateError(`${api?.name ?? apiId} has no route ${route}`);
    const counts = apiRequests.get(apiId) ?? new Accumulator<string>();
    apiRequests.set(apiId, counts);
    counts.add(route, rate);
    handle(target, what, rate, hops);
  };

  const deliverToConsumers = (sourceId: string, what: string, rate: number, hops: number) => {
    for (const source of shop.eventSources.filter((s) => s.sourceId === sourceId)) handle(source.functionId, what, rate, hops);
  };

  const publish = (busId: string, detailType: DetailType, rate: number, hops: number) => {
    events.add(detailType, rate);
    for (const rule of shop.rules.filter((r) => r.busId === busId && r.pattern(SOURCE_OF[detailType], detailType))) {
      for (const targetId of rule.targetIds) {
        invocations += rate;
        if (shop.queues.has(targetId)) {
          queueSends.add(targetId, rate);
          deliverToConsumers(targetId, detailType, rate, hops);
        } else if (shop.streams.has(targetId)) {
          records.add(targetId, rate);
          bytes.add(targetId, rate * recordBytes[detailType]);
          deliverToConsumers(targetId, detailType, rate, hops);
        } else if (shop.functions.has(targetId)) {
          handle(targetId, detailType, rate, hops);
        } else {
          throw new ShopTemplateError(`${rule.name}: target ${targetId} is not a queue, stream or function of the template`);
        }
      }
    }
  };

  for (const client of behaviour.requests) {
    const rate = client.perOrder(mix);
    if (rate === 0) continue;
    const api = apiNamed(client.api);
    if (api === undefined) throw new ShopTemplateError(`the template has no REST API ${client.api}`);
    request(api.id, client.route, client.handles, rate, 0);
  }

  const nested = (map: Map<string, Accumulator<string>>) => new Map([...map].map(([key, acc]) => [key, acc.values]));
  const tableIds = new Set([...reads.values.keys(), ...writes.values.keys()]);
  return {
    handled: nested(handled),
    apiRequests: nested(apiRequests),
    putEvents,
    invocations,
    events: events.values,
    queueSends: queueSends.values,
    streamRecords: new Map([...records.values].map(([id, n]) => [id, { records: n, bytes: bytes.values.get(id) ?? 0 }])),
    tableUnits: new Map([...tableIds].map((id) => [id, { read: reads.values.get(id) ?? 0, write: writes.values.get(id) ?? 0 }])),
    hotKeyUnits: new Map(
      [...hotKeys].map(([key, hot]): [string, HotKeyLoad] => [key, { ...hot, units: { read: hotReads.values.get(key) ?? 0, write: hotWrites.values.get(key) ?? 0 } }]),
    ),
  };
}
