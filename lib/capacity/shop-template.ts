/**
 * What the capacity model reads from a synthesized CloudFormation template: the functions and their limits, the queues,
 * the stream, the tables, the bus's rules and their targets, the event source mappings and the APIs' routes and
 * throttles. Resources are named by their logical IDs without CDK's hash (`OrdersPlaceOrderFunctionCAB73BD9` →
 * `OrdersPlaceOrderFunction`): construct IDs are a contract, so the names stay put while the hashes may not.
 */

/** One resource of a CloudFormation template. */
export interface CfnResource {
  readonly Type: string;
  readonly Properties?: Readonly<Record<string, unknown>>;
}

/** A CloudFormation template: what `cdk synth` writes to `<stack>.template.json`. */
export interface CfnTemplate {
  readonly Resources: Readonly<Record<string, CfnResource>>;
}

export interface ShopFunction {
  readonly id: string;
  readonly name: string;
  /** ReservedConcurrentExecutions, when set. */
  readonly reservedConcurrency?: number;
  /** Environment variable → the logical IDs it refers to (a table, a queue, the bus, an API and its stage); none for a literal. */
  readonly environment: Readonly<Record<string, readonly string[]>>;
  /** The environment variables set to a literal (a string or a number), as text, by name. */
  readonly settings: Readonly<Record<string, string>>;
}

export interface ShopQueue {
  readonly id: string;
  readonly name: string;
  readonly fifo: boolean;
  /** FifoThroughputLimit perMessageGroupId: the high-throughput FIFO mode. */
  readonly highThroughput: boolean;
}

export interface ShopStream {
  readonly id: string;
  readonly name: string;
  readonly mode: 'PROVISIONED' | 'ON_DEMAND';
  /** ShardCount (PROVISIONED only). */
  readonly shardCount: number;
}

export interface ShopTable {
  readonly id: string;
  readonly name: string;
  readonly onDemand: boolean;
}

/** A Lambda event source mapping: a function reading a queue or a stream. */
export interface ShopEventSource {
  readonly functionId: string;
  readonly sourceId: string;
  readonly batchSize: number;
  /** ScalingConfig.MaximumConcurrency (SQS), when set. */
  readonly maximumConcurrency?: number;
  /** ParallelizationFactor (Kinesis); 1 when unset. */
  readonly parallelizationFactor: number;
}

export interface ShopRule {
  readonly id: string;
  readonly name: string;
  /** The bus the rule listens on. */
  readonly busId: string | undefined;
  readonly pattern: EventPatternMatcher;
  /** Logical IDs of the targets: queues, functions, streams. */
  readonly targetIds: readonly string[];
}

export interface ShopApi {
  readonly id: string;
  readonly name: string;
  /** `METHOD /path` → the logical ID of the function it invokes. */
  readonly routes: Readonly<Record<string, string>>;
  /** The stage's throttle for every method (MethodSettings `/*` `*`), when set. */
  readonly stageThrottle?: Throttle;
  /** Throttles of single methods, by `METHOD /path`. */
  readonly methodThrottles: Readonly<Record<string, Throttle>>;
}

export interface Throttle {
  readonly rateLimit: number;
  readonly burstLimit: number;
}

/** What the capacity model needs of the shop's template, by logical ID. */
export interface ShopResources {
  readonly functions: ReadonlyMap<string, ShopFunction>;
  readonly queues: ReadonlyMap<string, ShopQueue>;
  readonly streams: ReadonlyMap<string, ShopStream>;
  readonly tables: ReadonlyMap<string, ShopTable>;
  /** The event buses' logical IDs, each mapped to itself. */
  readonly buses: ReadonlyMap<string, string>;
  readonly eventSources: readonly ShopEventSource[];
  readonly rules: readonly ShopRule[];
  readonly apis: ReadonlyMap<string, ShopApi>;
}

/** Thrown for a template the model cannot read: it names the resource and what is wrong with it. */
export class ShopTemplateError extends Error {
  public constructor(message: string) {
    super(message);
    this.name = 'ShopTemplateError';
  }
}

/** A logical ID without the 8 hex digits CDK appends to it. */
export function nameOf(logicalId: string): string {
  return logicalId.replace(/[0-9A-F]{8}$/, '');
}

/** The logical ID a `{ Ref }` or `{ 'Fn::GetAtt': [id, attribute] }` names; undefined for anything else. */
export function referencedId(value: unknown): string | undefined {
  if (typeof value !== 'object' || value === null) return undefined;
  const ref = (value as { Ref?: unknown }).Ref;
  if (typeof ref === 'string') return ref;
  const getAtt = (value as { 'Fn::GetAtt'?: unknown })['Fn::GetAtt'];
  if (Array.isArray(getAtt) && typeof getAtt[0] === 'string') return getAtt[0];
  return undefined;
}

/** Every logical ID a value refers to, however deep in an `Fn::Join` or `Fn::Sub` it sits. */
export function referencedIds(value: unknown, into: Set<string> = new Set()): Set<string> {
  const direct = referencedId(value);
  if (direct !== undefined) into.add(direct);
  else if (Array.isArray(value)) for (const item of value) referencedIds(item, into);
  else if (typeof value === 'object' && value !== null) for (const item of Object.values(value)) referencedIds(item, into);
  return into;
}

/** Reads the shop's resources from `template`. */
export function readShopTemplate(template: CfnTemplate): ShopResources {
  const resources = template.Resources;
  const ofType = (type: string) => Object.entries(resources).filter(([, resource]) => resource.Type === type);
  const props = (resource: CfnResource) => resource.Properties ?? {};

  const functions = new Map(
    ofType('AWS::Lambda::Function').map(([id, resource]): [string, ShopFunction] => {
      const variables = ((props(resource).Environment as { Variables?: Record<string, unknown> } | undefined)?.Variables ?? {}) as Record<string, unknown>;
      const environment = Object.fromEntries(
        Object.entries(variables).map(([key, value]) => [key, [...referencedIds(value)].filter((ref) => ref in resources)]),
      );
      const settings = Object.fromEntries(
        Object.entries(variables).flatMap(([key, value]) => (typeof value === 'string' || typeof value === 'number' ? [[key, String(value)]] : [])),
      );
      const reserved = props(resource).ReservedConcurrentExecutions;
      return [id, { id, name: nameOf(id), environment, settings, ...(typeof reserved === 'number' ? { reservedConcurrency: reserved } : {}) }];
    }),
  );
  const queues = new Map(
    ofType('AWS::SQS::Queue').map(([id, resource]): [string, ShopQueue] => [
      id,
      { id, name: nameOf(id), fifo: props(resource).FifoQueue === true, highThroughput: props(resource).FifoThroughputLimit === 'perMessageGroupId' },
    ]),
  );
  const streams = new Map(
    ofType('AWS::Kinesis::Stream').map(([id, resource]): [string, ShopStream] => {
      const mode = (props(resource).StreamModeDetails as { StreamMode?: string } | undefined)?.StreamMode ?? 'PROVISIONED';
      if (mode !== 'PROVISIONED' && mode !== 'ON_DEMAND') throw new ShopTemplateError(`${id}: StreamMode ${mode} is neither PROVISIONED nor ON_DEMAND`);
      const shardCount = props(resource).ShardCount ?? (mode === 'PROVISIONED' ? 1 : 0);
      if (typeof shardCount !== 'number') throw new ShopTemplateError(`${id}: ShardCount ${JSON.stringify(shardCount)} is not a number`);
      return [id, { id, name: nameOf(id), mode, shardCount }];
    }),
  );
  const tables = new Map(
    ofType('AWS::DynamoDB::Table').map(([id, resource]): [string, ShopTable] => [
      id,
      { id, name: nameOf(id), onDemand: props(resource).BillingMode === 'PAY_PER_REQUEST' },
    ]),
  );
  const eventSources = ofType('AWS::Lambda::EventSourceMapping').map(([id, resource]): ShopEventSource => {
    const p = props(resource);
    const functionId = referencedId(p.FunctionName);
    const sourceId = referencedId(p.EventSourceArn);
    if (functionId === undefined || sourceId === undefined) throw new ShopTemplateError(`${id}: FunctionName and EventSourceArn must refer to resources of the template`);
    const maximumConcurrency = (p.ScalingConfig as { MaximumConcurrency?: number } | undefined)?.MaximumConcurrency;
    return {
      functionId,
      sourceId,
      batchSize: typeof p.BatchSize === 'number' ? p.BatchSize : 10,
      parallelizationFactor: typeof p.ParallelizationFactor === 'number' ? p.ParallelizationFactor : 1,
      ...(maximumConcurrency === undefined ? {} : { maximumConcurrency }),
    };
  });
  const rules = ofType('AWS::Events::Rule').map(([id, resource]): ShopRule => {
    const p = props(resource);
    const targets = (p.Targets as readonly { Arn?: unknown }[] | undefined) ?? [];
    return {
      id,
      name: nameOf(id),
      busId: referencedId(p.EventBusName),
      pattern: eventPatternMatcher(id, p.EventPattern),
      targetIds: targets.map((target) => {
        const targetId = referencedId(target.Arn);
        if (targetId === undefined) throw new ShopTemplateError(`${id}: a target's Arn does not refer to a resource of the template`);
        return targetId;
      }),
    };
  });
  const buses = new Map(ofType('AWS::Events::EventBus').map(([id]) => [id, id]));
  return { functions, queues, streams, tables, buses, eventSources, rules, apis: readApis(resources) };
}

/** Each REST API's routes (from its methods' Lambda proxy integrations) and its stage's throttles. */
function readApis(resources: Readonly<Record<string, CfnResource>>): Map<string, ShopApi> {
  const props = (id: string) => resources[id]?.Properties ?? {};
  const pathOf = (resourceId: string | undefined): string => {
    if (resourceId === undefined || resources[resourceId]?.Type !== 'AWS::ApiGateway::Resource') return '';
    const p = props(resourceId);
    return `${pathOf(referencedId(p.ParentId))}/${String(p.PathPart)}`;
  };
  const apis = new Map<string, ShopApi>();
  for (const [apiId, api] of Object.entries(resources)) {
    if (api.Type !== 'AWS::ApiGateway::RestApi') continue;
    const routes: Record<string, string> = {};
    for (const [methodId, method] of Object.entries(resources)) {
      if (method.Type !== 'AWS::ApiGateway::Method' || referencedId(props(methodId).RestApiId) !== apiId) continue;
      const target = [...referencedIds((props(methodId).Integration as { Uri?: unknown } | undefined)?.Uri)].find(
        (id) => resources[id]?.Type === 'AWS::Lambda::Function',
      );
      if (target !== undefined) routes[`${String(props(methodId).HttpMethod)} ${pathOf(referencedId(props(methodId).ResourceId)) || '/'}`] = target;
    }
    const stage = Object.entries(resources).find(([, r]) => r.Type === 'AWS::ApiGateway::Stage' && referencedId(r.Properties?.RestApiId) === apiId);
    const settings = (stage?.[1].Properties?.MethodSettings as readonly Record<string, unknown>[] | undefined) ?? [];
    let stageThrottle: Throttle | undefined;
    const methodThrottles: Record<string, Throttle> = {};
    for (const setting of settings) {
      const throttle = throttleOf(setting);
      if (throttle === undefined) continue;
      if (setting.ResourcePath === '/*' && setting.HttpMethod === '*') stageThrottle = throttle;
      else methodThrottles[`${String(setting.HttpMethod)} ${String(setting.ResourcePath).replace(/~1/g, '/')}`] = throttle;
    }
    apis.set(apiId, { id: apiId, name: nameOf(apiId), routes, methodThrottles, ...(stageThrottle ? { stageThrottle } : {}) });
  }
  return apis;
}

function throttleOf(setting: Record<string, unknown>): Throttle | undefined {
  const { ThrottlingRateLimit: rateLimit, ThrottlingBurstLimit: burstLimit } = setting;
  if (typeof rateLimit !== 'number') return undefined;
  return { rateLimit, burstLimit: typeof burstLimit === 'number' ? burstLimit : rateLimit };
}

/** Whether an event of `source` and `detailType` matches a rule's pattern. */
export type EventPatternMatcher = (source: string, detailType: string) => boolean;

/**
 * The matcher of an EventBridge pattern over `source` and `detail-type`, each a list of strings or `{ prefix }`
 * objects: the only fields and forms the shop's rules use. Any other field or form is refused rather than guessed.
 */
export function eventPatternMatcher(ruleId: string, pattern: unknown): EventPatternMatcher {
  if (typeof pattern !== 'object' || pattern === null) throw new ShopTemplateError(`${ruleId}: EventPattern is not an object`);
  const fields = pattern as Record<string, unknown>;
  const unknown = Object.keys(fields).filter((key) => key !== 'source' && key !== 'detail-type');
  if (unknown.length > 0) throw new ShopTemplateError(`${ruleId}: EventPattern field ${unknown.join(', ')} is not modelled; only source and detail-type are`);
  const field = (key: string): ((value: string) => boolean) => {
    const values = fields[key];
    if (values === undefined) return () => true;
    if (!Array.isArray(values)) throw new ShopTemplateError(`${ruleId}: EventPattern ${key} is not a list`);
    const tests = values.map((value: unknown): ((v: string) => boolean) => {
      if (typeof value === 'string') return (v) => v === value;
      const prefix = (value as { prefix?: unknown } | null)?.prefix;
      if (typeof prefix === 'string') return (v) => v.startsWith(prefix);
      throw new ShopTemplateError(`${ruleId}: EventPattern ${key} value ${JSON.stringify(value)} is not modelled; use strings or { prefix }`);
    });
    return (v) => tests.some((test) => test(v));
  };
  const source = field('source');
  const detailType = field('detail-type');
  return (s, d) => source(s) && detailType(d);
}
