/**
 * Local physical ids for the resources of a template: what `Ref` and `Fn::GetAtt` return once "deployed" locally.
 *
 * Names follow CloudFormation: an explicit name property wins (`TableName`, `FunctionName`, `QueueName`…, resolved
 * with the intrinsics); otherwise the name is generated as `${stackName}-${logicalId}`. CloudFormation appends a
 * random suffix; here the ids are deterministic (same template, same ids) so a restarted runtime, a test and a
 * seed script all agree. A generated name longer than the service allows is cut and ends with 8 hex characters of
 * a hash of stack and logical id, so two long logical ids that share a prefix never collide.
 *
 * Ref / GetAtt semantics per type follow the CloudFormation template reference ("Return values"), e.g. an SQS
 * queue's Ref is its URL (here on the local edge), an SNS topic's Ref its ARN, an EventBridge rule on a custom bus
 * is `busName|ruleName`. Types the runtime does not know get `${logicalId}-local` so resolution never stops on them.
 */
import { createHash } from 'node:crypto';
import type { CfnResource, CfnTemplate } from './cloud-assembly';
import {
  IntrinsicResolver,
  MissingPhysicalIdError,
  UnresolvableError,
  type PhysicalResource,
  type ResolverContext,
} from './intrinsic-resolver';

/** The label (a timestamp) of a DynamoDB stream ARN; a fixed value keeps ids deterministic. */
const STREAM_LABEL = '1970-01-01T00:00:00.000';

interface Naming {
  readonly context: ResolverContext;
  readonly edgeUrl: string;
  readonly logicalId: string;
  readonly properties: Record<string, unknown>;
  readonly resolver: IntrinsicResolver;
}

function hashOf(...parts: string[]): Buffer {
  return createHash('sha256').update(parts.join('/')).digest();
}

/** `length` lowercase alphanumerics derived from a hash (API Gateway style ids). */
function shortId(length: number, ...parts: string[]): string {
  const digits = BigInt(`0x${hashOf(...parts).toString('hex')}`).toString(36);
  return digits.padStart(length, '0').slice(-length);
}

/** A deterministic UUID (version 4 layout) derived from a hash. */
function uuidOf(...parts: string[]): string {
  const hex = hashOf(...parts).toString('hex');
  const variant = ((parseInt(hex[16], 16) & 0x3) | 0x8).toString(16);
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-4${hex.slice(13, 16)}-${variant}${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}

/** `${stackName}-${logicalId}`, cut to `maxLength` with a hash suffix when too long; `suffix` is kept (`.fifo`). */
function generatedName(naming: Naming, maxLength: number, suffix = ''): string {
  const { stackName } = naming.context;
  const base = `${stackName}-${naming.logicalId}`;
  const room = maxLength - suffix.length;
  if (base.length <= room) return `${base}${suffix}`;
  const hash = hashOf(stackName, naming.logicalId).toString('hex').slice(0, 8);
  return `${base.slice(0, room - hash.length - 1)}-${hash}${suffix}`;
}

/**
 * The resource's own name property, resolved; generated when absent. A reference to a resource that has no id yet
 * propagates (the caller retries later); any other unresolvable name falls back to the generated one.
 */
function nameOf(naming: Naming, property: string, maxLength: number, suffix = ''): string {
  const value = naming.properties[property];
  if (value === undefined) return generatedName(naming, maxLength, suffix);
  try {
    return naming.resolver.resolveString(value);
  } catch (error) {
    if (error instanceof MissingPhysicalIdError || !(error instanceof UnresolvableError)) throw error;
    return generatedName(naming, maxLength, suffix);
  }
}

function arn(context: ResolverContext, service: string, resource: string, options: { global?: boolean } = {}): string {
  const region = options.global === true ? '' : context.region;
  return `arn:${context.partition}:${service}:${region}:${context.accountId}:${resource}`;
}

function physical(ref: string, attributes: Record<string, string> = {}): PhysicalResource {
  return { ref, attributes };
}

function isTrue(value: unknown): boolean {
  return value === true || value === 'true';
}

/** The name part of a name-or-ARN property (EventBridge accepts either for `EventBusName`). */
function lastSegment(value: string, separator: string): string {
  return value.startsWith('arn:') ? value.slice(value.lastIndexOf(separator) + 1) : value;
}

type PhysicalFactory = (naming: Naming) => PhysicalResource;

function dynamoDbTable(naming: Naming): PhysicalResource {
  const name = nameOf(naming, 'TableName', 255);
  const tableArn = arn(naming.context, 'dynamodb', `table/${name}`);
  return physical(name, {
    Arn: tableArn,
    StreamArn: `${tableArn}/stream/${STREAM_LABEL}`,
    TableId: uuidOf(naming.context.stackName, naming.logicalId, 'table'),
  });
}

const FACTORIES: Readonly<Record<string, PhysicalFactory>> = {
  'AWS::DynamoDB::Table': dynamoDbTable,
  'AWS::DynamoDB::GlobalTable': dynamoDbTable,
  'AWS::Lambda::Function': (naming) => {
    const name = nameOf(naming, 'FunctionName', 64);
    return physical(name, { Arn: arn(naming.context, 'lambda', `function:${name}`) });
  },
  'AWS::Lambda::Permission': (naming) => physical(`${naming.logicalId}-local`, { Id: `${naming.logicalId}-local` }),
  'AWS::Lambda::EventSourceMapping': (naming) => {
    const id = uuidOf(naming.context.stackName, naming.logicalId);
    return physical(id, { Id: id, EventSourceMappingArn: arn(naming.context, 'lambda', `event-source-mapping:${id}`) });
  },
  'AWS::Lambda::Version': (naming) => {
    const functionArn = functionArnOf(naming);
    return physical(`${functionArn}:1`, { Version: '1', FunctionArn: functionArn });
  },
  'AWS::Lambda::Alias': (naming) => {
    const aliasArn = `${functionArnOf(naming)}:${naming.resolver.resolveString(naming.properties.Name ?? 'live')}`;
    return physical(aliasArn, { AliasArn: aliasArn });
  },
  'AWS::IAM::Role': (naming) => {
    const name = nameOf(naming, 'RoleName', 64);
    const path = typeof naming.properties.Path === 'string' ? naming.properties.Path : '/';
    const roleId = `AROA${shortId(17, naming.context.stackName, naming.logicalId).toUpperCase()}`;
    return physical(name, { Arn: arn(naming.context, 'iam', `role${path}${name}`, { global: true }), RoleId: roleId });
  },
  'AWS::IAM::Policy': (naming) => {
    const id = generatedName(naming, 128);
    return physical(id, { Id: id });
  },
  'AWS::IAM::ManagedPolicy': (naming) => {
    const name = nameOf(naming, 'ManagedPolicyName', 128);
    const policyArn = arn(naming.context, 'iam', `policy/${name}`, { global: true });
    return physical(policyArn, { PolicyArn: policyArn, PolicyId: `ANPA${shortId(17, naming.context.stackName, naming.logicalId).toUpperCase()}` });
  },
  'AWS::ApiGateway::RestApi': (naming) => {
    const { stackName } = naming.context;
    const id = shortId(10, stackName, naming.logicalId);
    return physical(id, { RestApiId: id, RootResourceId: shortId(10, stackName, naming.logicalId, 'root') });
  },
  'AWS::ApiGateway::Resource': (naming) => {
    const id = shortId(6, naming.context.stackName, naming.logicalId);
    return physical(id, { ResourceId: id });
  },
  'AWS::ApiGateway::Deployment': (naming) => {
    const id = shortId(6, naming.context.stackName, naming.logicalId);
    return physical(id, { DeploymentId: id });
  },
  'AWS::ApiGateway::Stage': (naming) => physical(nameOf(naming, 'StageName', 128)),
  'AWS::ApiGateway::Method': (naming) => physical(shortId(6, naming.context.stackName, naming.logicalId)),
  'AWS::Logs::LogGroup': (naming) => {
    const name = nameOf(naming, 'LogGroupName', 512);
    return physical(name, { Arn: arn(naming.context, 'logs', `log-group:${name}:*`) });
  },
  // A user pool's id is `{region}_{9 characters}`; locally its issuer (ProviderURL) is the edge, which serves its JWKS.
  'AWS::Cognito::UserPool': (naming) => {
    const id = `${naming.context.region}_${shortId(9, naming.context.stackName, naming.logicalId)}`;
    const edge = new URL(naming.edgeUrl);
    return physical(id, {
      Arn: arn(naming.context, 'cognito-idp', `userpool/${id}`),
      ProviderName: `${edge.host}/${id}`,
      ProviderURL: `${naming.edgeUrl}/${id}`,
      UserPoolId: id,
    });
  },
  'AWS::Cognito::UserPoolClient': (naming) => {
    const id = shortId(26, naming.context.stackName, naming.logicalId);
    return physical(id, { ClientId: id, Name: nameOf(naming, 'ClientName', 128) });
  },
  'AWS::Cognito::UserPoolGroup': (naming) => physical(nameOf(naming, 'GroupName', 128)),
  'AWS::SNS::Topic': (naming) => {
    const name = nameOf(naming, 'TopicName', 256, isTrue(naming.properties.FifoTopic) ? '.fifo' : '');
    const topicArn = arn(naming.context, 'sns', name);
    return physical(topicArn, { TopicArn: topicArn, TopicName: name });
  },
  'AWS::SNS::Subscription': (naming) => {
    const topicArn = naming.resolver.resolveString(naming.properties.TopicArn ?? '');
    const subscriptionArn = `${topicArn}:${uuidOf(naming.context.stackName, naming.logicalId)}`;
    return physical(subscriptionArn, { Arn: subscriptionArn });
  },
  'AWS::SQS::Queue': (naming) => {
    const name = nameOf(naming, 'QueueName', 80, isTrue(naming.properties.FifoQueue) ? '.fifo' : '');
    const url = `${naming.edgeUrl}/${naming.context.accountId}/${name}`;
    return physical(url, { Arn: arn(naming.context, 'sqs', name), QueueName: name, QueueUrl: url });
  },
  'AWS::Kinesis::Stream': (naming) => {
    const name = nameOf(naming, 'Name', 128);
    return physical(name, { Arn: arn(naming.context, 'kinesis', `stream/${name}`) });
  },
  'AWS::Events::EventBus': (naming) => {
    const name = nameOf(naming, 'Name', 256);
    return physical(name, { Arn: arn(naming.context, 'events', `event-bus/${name}`), Name: name });
  },
  'AWS::Events::Rule': (naming) => {
    const name = nameOf(naming, 'Name', 64);
    const busProperty = naming.properties.EventBusName;
    const bus = busProperty === undefined ? 'default' : lastSegment(naming.resolver.resolveString(busProperty), '/');
    const onCustomBus = bus !== 'default';
    const ref = onCustomBus ? `${bus}|${name}` : name;
    return physical(ref, { Arn: arn(naming.context, 'events', `rule/${onCustomBus ? `${bus}/` : ''}${name}`) });
  },
  'AWS::Events::Archive': (naming) => {
    const name = nameOf(naming, 'ArchiveName', 48);
    return physical(name, { Arn: arn(naming.context, 'events', `archive/${name}`), ArchiveName: name });
  },
  'AWS::Pipes::Pipe': (naming) => {
    const name = nameOf(naming, 'Name', 64);
    return physical(name, { Arn: arn(naming.context, 'pipes', `pipe/${name}`) });
  },
  'AWS::CloudWatch::Alarm': (naming) => {
    const name = nameOf(naming, 'AlarmName', 255);
    return physical(name, { Arn: arn(naming.context, 'cloudwatch', `alarm:${name}`) });
  },
  'AWS::CloudWatch::CompositeAlarm': (naming) => {
    const name = nameOf(naming, 'AlarmName', 255);
    return physical(name, { Arn: arn(naming.context, 'cloudwatch', `alarm:${name}`) });
  },
  'AWS::CloudWatch::Dashboard': (naming) => physical(nameOf(naming, 'DashboardName', 255)),
  'AWS::KMS::Key': (naming) => {
    const keyId = uuidOf(naming.context.stackName, naming.logicalId);
    return physical(keyId, { Arn: arn(naming.context, 'kms', `key/${keyId}`), KeyId: keyId });
  },
};

function functionArnOf(naming: Naming): string {
  const functionName = naming.resolver.resolveString(naming.properties.FunctionName ?? '');
  return functionName.startsWith('arn:') ? functionName : arn(naming.context, 'lambda', `function:${functionName}`);
}

/** `${logicalId}-local` and an ARN-shaped placeholder, for types the local runtime does not run. */
function genericPhysical(naming: Naming, type: string): PhysicalResource {
  const ref = `${naming.logicalId}-local`;
  const service = (type.split('::')[1] ?? 'unknown').toLowerCase();
  return physical(ref, { Arn: arn(naming.context, service, ref), Id: ref, Name: ref });
}

/** Whether the resource exists: a resource whose `Condition` is false is not created. */
function exists(resource: CfnResource, resolver: IntrinsicResolver): boolean {
  return resource.Condition === undefined || resolver.conditionHolds(resource.Condition);
}

/** Local physical ids/ARNs for every resource in the template (deterministic: same template → same ids). */
export function assignPhysicalIds(
  template: CfnTemplate,
  context: ResolverContext,
  options: { readonly edgeUrl: string },
): Map<string, PhysicalResource> {
  const assigned = new Map<string, PhysicalResource>();
  const resolver = new IntrinsicResolver(template, context, assigned);
  const edgeUrl = options.edgeUrl.replace(/\/+$/, '');
  let pending = Object.entries(template.Resources).filter(([, resource]) => exists(resource, resolver));

  // A name can refer to another resource (a rule's EventBusName, a version's FunctionName): assign in rounds
  // until every reference is satisfied; a cycle (never valid in CloudFormation) ends with generated names.
  while (pending.length > 0) {
    const waiting: typeof pending = [];
    for (const [logicalId, resource] of pending) {
      const naming: Naming = { context, edgeUrl, logicalId, properties: resource.Properties ?? {}, resolver };
      const factory = FACTORIES[resource.Type];
      try {
        assigned.set(logicalId, factory === undefined ? genericPhysical(naming, resource.Type) : factory(naming));
      } catch (error) {
        if (error instanceof MissingPhysicalIdError) waiting.push([logicalId, resource]);
        else if (error instanceof UnresolvableError) assigned.set(logicalId, genericPhysical(naming, resource.Type));
        else throw error;
      }
    }
    if (waiting.length === pending.length) {
      for (const [logicalId, resource] of waiting) {
        const naming: Naming = { context, edgeUrl, logicalId, properties: {}, resolver };
        const factory = FACTORIES[resource.Type];
        assigned.set(logicalId, factory === undefined ? genericPhysical(naming, resource.Type) : safely(factory, naming, resource.Type));
      }
      break;
    }
    pending = waiting;
  }
  return assigned;
}

/** A factory run on a resource stripped of its properties: some need one (a version's function) and fall back. */
function safely(factory: PhysicalFactory, naming: Naming, type: string): PhysicalResource {
  try {
    return factory(naming);
  } catch (error) {
    if (!(error instanceof UnresolvableError)) throw error;
    return genericPhysical(naming, type);
  }
}
