import { createHash } from 'node:crypto';
import type { CfnTemplate } from '../assembly/cloud-assembly';
import { mentionedLogicalIds, PhysicalIds, referencedLogicalId, resourcesOfType, ValueResolver } from '../assembly/template-refs';

/** One REST API of the template, as the local gateway serves it. */
export interface RestApiModel {
  readonly logicalId: string;
  /** The API id (its Ref), e.g. `a1b2c3d4e5`. */
  readonly id: string;
  readonly name: string;
  readonly root: ApiResource;
  /** Stages by name. */
  readonly stages: ReadonlyMap<string, ApiStage>;
  /** Customized gateway responses by response type. */
  readonly gatewayResponses: ReadonlyMap<string, GatewayResponseConfig>;
  /** Content types sent to the function base64-encoded. */
  readonly binaryMediaTypes: readonly string[];
}

/** A node of the resource tree: `/`, `/products`, `/products/{sku}`, `/files/{proxy+}`. */
export interface ApiResource {
  readonly id: string;
  /** The last segment: a literal, `{name}` or greedy `{name+}`; empty for the root. */
  readonly pathPart: string;
  /** The full resource path, e.g. `/products/{sku}`. */
  readonly path: string;
  readonly children: readonly ApiResource[];
  /** Methods by HTTP method, `ANY` included. */
  readonly methods: ReadonlyMap<string, ApiMethod>;
}

export interface ApiMethod {
  readonly httpMethod: string;
  /** `NONE`, `AWS_IAM`, `CUSTOM` or `COGNITO_USER_POOLS`. */
  readonly authorizationType: string;
  /** For `COGNITO_USER_POOLS`: the authorizer's user pools and where the token is. */
  readonly cognito?: CognitoAuthorization;
  readonly integration: ApiIntegration;
}

/** A COGNITO_USER_POOLS authorizer as a method uses it. */
export interface CognitoAuthorization {
  /** The user pools of its ProviderARNs: logical ids of the template's AWS::Cognito::UserPool, or the ARNs given. */
  readonly userPoolRefs: readonly string[];
  /** The header of its IdentitySource (`method.request.header.Authorization` → `Authorization`). */
  readonly identityHeader: string;
  /** The method's AuthorizationScopes: with any, an access token holding one is required. */
  readonly scopes: readonly string[];
}

/** API Gateway's integration timeout: 29 seconds unless the method says otherwise. */
export const DEFAULT_INTEGRATION_TIMEOUT_MS = 29_000;

export type ApiIntegration =
  | {
      readonly type: 'AWS_PROXY';
      /** The function: a logical id when the Uri refers to one, else the function ARN from the Uri. */
      readonly functionRef: string;
      readonly timeoutMs: number;
    }
  | {
      /** A mock integration answering with a static response (CORS preflight, for one). */
      readonly type: 'MOCK';
      readonly statusCode: number;
      readonly headers: Readonly<Record<string, string>>;
      readonly body: string;
    }
  | { readonly type: 'UNSUPPORTED'; readonly description: string };

export interface ThrottleLimit {
  /** Steady-state requests per second. */
  readonly rateLimit: number;
  /** Bucket size: requests accepted at once. */
  readonly burstLimit: number;
}

/** API Gateway's account-level default, which applies when a stage sets no throttling. */
export const ACCOUNT_THROTTLE: ThrottleLimit = { rateLimit: 10_000, burstLimit: 5_000 };

export interface ApiStage {
  readonly name: string;
  readonly variables: Readonly<Record<string, string>>;
  /** `MethodSettings` for `/*` and `*`: the whole stage. */
  readonly defaultThrottle: ThrottleLimit;
  /** Method-level overrides keyed `${resourcePath} ${httpMethod}`, e.g. `/orders POST`. */
  readonly methodThrottles: ReadonlyMap<string, ThrottleLimit>;
}

export interface GatewayResponseConfig {
  readonly responseType: string;
  readonly statusCode?: number;
  /** `gatewayresponse.header.X` → `'static'` or `method.request.header.Y`… */
  readonly responseParameters: Readonly<Record<string, string>>;
  /** Body templates by content type. */
  readonly responseTemplates: Readonly<Record<string, string>>;
}

interface MutableResource {
  id: string;
  pathPart: string;
  path: string;
  parent?: string;
  children: MutableResource[];
  methods: Map<string, ApiMethod>;
}

/** Reads every AWS::ApiGateway::RestApi of the template with its resources, methods, stages and gateway responses. */
export function readRestApis(template: CfnTemplate, resolver: ValueResolver, physical: PhysicalIds): RestApiModel[] {
  const apis: RestApiModel[] = [];
  for (const [apiLogicalId, props] of resourcesOfType(template, 'AWS::ApiGateway::RestApi')) {
    const belongs = (value: unknown) => referencedLogicalId(value)?.logicalId === apiLogicalId;
    const apiId = physical.get(apiLogicalId)?.ref ?? localId(10, apiLogicalId);
    const rootKey = `${apiLogicalId}.RootResourceId`;
    const root: MutableResource = {
      id: physical.get(apiLogicalId)?.attributes.RootResourceId ?? localId(10, rootKey),
      pathPart: '',
      path: '/',
      children: [],
      methods: new Map(),
    };
    const nodes = new Map<string, MutableResource>([[rootKey, root]]);

    const resources = resourcesOfType(template, 'AWS::ApiGateway::Resource').filter(([, p]) => belongs(p.RestApiId));
    for (const [logicalId, p] of resources) {
      nodes.set(logicalId, {
        id: physical.get(logicalId)?.ref ?? localId(6, logicalId),
        pathPart: resolver.resolveString(p.PathPart),
        path: '',
        parent: parentKey(p.ParentId, apiLogicalId),
        children: [],
        methods: new Map(),
      });
    }
    for (const [, node] of nodes) {
      if (node === root) continue;
      const parent = node.parent === undefined ? undefined : nodes.get(node.parent);
      if (parent) parent.children.push(node);
    }
    assignPaths(root);

    for (const [, p] of resourcesOfType(template, 'AWS::ApiGateway::Method').filter(([, p]) => belongs(p.RestApiId))) {
      const node = nodes.get(parentKey(p.ResourceId, apiLogicalId) ?? '');
      if (!node) continue;
      const httpMethod = resolver.resolveString(p.HttpMethod).toUpperCase();
      const authorizationType = p.AuthorizationType === undefined ? 'NONE' : resolver.resolveString(p.AuthorizationType);
      const cognito = authorizationType === 'COGNITO_USER_POOLS' ? readCognitoAuthorization(p, template, resolver) : undefined;
      node.methods.set(httpMethod, {
        httpMethod,
        authorizationType,
        ...(cognito ? { cognito } : {}),
        integration: readIntegration(p.Integration, template, resolver),
      });
    }

    apis.push({
      logicalId: apiLogicalId,
      id: apiId,
      name: props.Name === undefined ? apiLogicalId : resolver.resolveString(props.Name),
      root: freeze(root),
      stages: readStages(template, resolver, belongs),
      gatewayResponses: readGatewayResponses(template, resolver, belongs),
      binaryMediaTypes: Array.isArray(props.BinaryMediaTypes)
        ? props.BinaryMediaTypes.map((t) => resolver.resolveString(t).replace(/~1/g, '/'))
        : [],
    });
  }
  return apis;
}

/** The key of a parent in `nodes`: a resource's logical id, or `${api}.RootResourceId`. */
function parentKey(value: unknown, apiLogicalId: string): string | undefined {
  const ref = referencedLogicalId(value);
  if (!ref) return undefined;
  if (ref.attribute === 'RootResourceId') return ref.logicalId === apiLogicalId ? `${apiLogicalId}.RootResourceId` : undefined;
  return ref.attribute === undefined ? ref.logicalId : undefined;
}

function assignPaths(node: MutableResource): void {
  for (const child of node.children) {
    child.path = node.path === '/' ? `/${child.pathPart}` : `${node.path}/${child.pathPart}`;
    assignPaths(child);
  }
}

function freeze(node: MutableResource): ApiResource {
  return { id: node.id, pathPart: node.pathPart, path: node.path, methods: node.methods, children: node.children.map(freeze) };
}

/** The method's COGNITO_USER_POOLS authorizer (its AuthorizerId) with the method's scopes; undefined when it names none. */
function readCognitoAuthorization(method: Record<string, unknown>, template: CfnTemplate, resolver: ValueResolver): CognitoAuthorization | undefined {
  const authorizerId = referencedLogicalId(method.AuthorizerId)?.logicalId;
  const authorizer = authorizerId === undefined ? undefined : template.Resources[authorizerId];
  if (authorizer?.Type !== 'AWS::ApiGateway::Authorizer') return undefined;
  const props = (authorizer.Properties ?? {}) as Record<string, unknown>;
  const providers = Array.isArray(props.ProviderARNs) ? props.ProviderARNs : [];
  const userPoolRefs = providers.map((provider) => {
    const pool = [...mentionedLogicalIds(provider)].find((id) => template.Resources[id]?.Type === 'AWS::Cognito::UserPool');
    return pool ?? resolver.resolveString(provider);
  });
  const source = props.IdentitySource === undefined ? 'method.request.header.Authorization' : resolver.resolveString(props.IdentitySource);
  const identityHeader = /^method\.request\.header\.(.+)$/.exec(source)?.[1] ?? 'Authorization';
  const scopes = Array.isArray(method.AuthorizationScopes) ? method.AuthorizationScopes.map((scope) => resolver.resolveString(scope)) : [];
  return { userPoolRefs, identityHeader, scopes };
}

function readIntegration(value: unknown, template: CfnTemplate, resolver: ValueResolver): ApiIntegration {
  const integration = (value ?? {}) as Record<string, unknown>;
  const type = integration.Type === undefined ? 'MOCK' : resolver.resolveString(integration.Type);
  if (type === 'AWS_PROXY') {
    const timeoutMs = integration.TimeoutInMillis === undefined ? DEFAULT_INTEGRATION_TIMEOUT_MS : Number(resolver.resolve(integration.TimeoutInMillis));
    // The Uri names the function through Fn::GetAtt [Fn, Arn]; a literal ARN works too.
    const fn = [...mentionedLogicalIds(integration.Uri)].find((id) => template.Resources[id]?.Type === 'AWS::Lambda::Function');
    if (fn) return { type, functionRef: fn, timeoutMs };
    const uri = resolver.resolveString(integration.Uri);
    const arn = /\/functions\/(.+)\/invocations$/.exec(uri)?.[1];
    return arn ? { type, functionRef: arn, timeoutMs } : { type: 'UNSUPPORTED', description: `AWS_PROXY integration with Uri ${uri}` };
  }
  if (type === 'MOCK') {
    const responses = (resolver.resolve(integration.IntegrationResponses) ?? []) as Record<string, unknown>[];
    const response = responses.find((r) => r.SelectionPattern === undefined || r.SelectionPattern === '') ?? responses[0] ?? {};
    const headers: Record<string, string> = {};
    for (const [key, source] of Object.entries((response.ResponseParameters ?? {}) as Record<string, unknown>)) {
      const name = /^method\.response\.header\.(.+)$/.exec(key)?.[1];
      const literal = typeof source === 'string' ? /^'(.*)'$/s.exec(source)?.[1] : undefined;
      if (name && literal !== undefined) headers[name] = literal;
    }
    const templates = (response.ResponseTemplates ?? {}) as Record<string, unknown>;
    const body = typeof templates['application/json'] === 'string' && !/[$#]/.test(templates['application/json']) ? templates['application/json'] : '';
    return { type, statusCode: Number(response.StatusCode ?? 200), headers, body };
  }
  return { type: 'UNSUPPORTED', description: `${type} integration` };
}

function readStages(template: CfnTemplate, resolver: ValueResolver, belongs: (value: unknown) => boolean): Map<string, ApiStage> {
  const stages = new Map<string, ApiStage>();
  const add = (name: string, props: Record<string, unknown>) => {
    let defaultThrottle = ACCOUNT_THROTTLE;
    const methodThrottles = new Map<string, ThrottleLimit>();
    for (const setting of (resolver.resolve(props.MethodSettings) ?? []) as Record<string, unknown>[]) {
      if (setting.ThrottlingRateLimit === undefined && setting.ThrottlingBurstLimit === undefined) continue;
      const limit: ThrottleLimit = {
        rateLimit: Number(setting.ThrottlingRateLimit ?? ACCOUNT_THROTTLE.rateLimit),
        burstLimit: Number(setting.ThrottlingBurstLimit ?? ACCOUNT_THROTTLE.burstLimit),
      };
      const resourcePath = String(setting.ResourcePath ?? '/*');
      const httpMethod = String(setting.HttpMethod ?? '*').toUpperCase();
      if (resourcePath === '/*' && httpMethod === '*') defaultThrottle = limit;
      else methodThrottles.set(`${decodeSettingPath(resourcePath)} ${httpMethod}`, limit);
    }
    const variables = (resolver.resolve(props.Variables) ?? {}) as Record<string, string>;
    stages.set(name, { name, variables, defaultThrottle, methodThrottles });
  };
  for (const [, p] of resourcesOfType(template, 'AWS::ApiGateway::Stage').filter(([, p]) => belongs(p.RestApiId))) {
    add(resolver.resolveString(p.StageName), p);
  }
  // A Deployment with StageName creates its stage itself (StageDescription holds its settings).
  for (const [, p] of resourcesOfType(template, 'AWS::ApiGateway::Deployment').filter(([, p]) => belongs(p.RestApiId))) {
    if (p.StageName !== undefined && !stages.has(resolver.resolveString(p.StageName))) {
      const description = (p.StageDescription ?? {}) as Record<string, unknown>;
      const throttle =
        description.ThrottlingRateLimit !== undefined || description.ThrottlingBurstLimit !== undefined
          ? [{ ResourcePath: '/*', HttpMethod: '*', ThrottlingRateLimit: description.ThrottlingRateLimit, ThrottlingBurstLimit: description.ThrottlingBurstLimit }]
          : [];
      add(resolver.resolveString(p.StageName), { MethodSettings: [...throttle, ...((description.MethodSettings as unknown[]) ?? [])], Variables: description.Variables });
    }
  }
  return stages;
}

/** `MethodSettings` paths escape `/` as `~1`: `/~1orders~1{id}` is `/orders/{id}`. */
function decodeSettingPath(resourcePath: string): string {
  const decoded = resourcePath.replace(/^\//, '').replace(/~1/g, '/');
  return decoded.startsWith('/') ? decoded : `/${decoded}`;
}

function readGatewayResponses(template: CfnTemplate, resolver: ValueResolver, belongs: (value: unknown) => boolean): Map<string, GatewayResponseConfig> {
  const responses = new Map<string, GatewayResponseConfig>();
  for (const [, p] of resourcesOfType(template, 'AWS::ApiGateway::GatewayResponse').filter(([, p]) => belongs(p.RestApiId))) {
    const responseType = resolver.resolveString(p.ResponseType);
    responses.set(responseType, {
      responseType,
      ...(p.StatusCode !== undefined ? { statusCode: Number(resolver.resolve(p.StatusCode)) } : {}),
      responseParameters: (resolver.resolve(p.ResponseParameters) ?? {}) as Record<string, string>,
      responseTemplates: (resolver.resolve(p.ResponseTemplates) ?? {}) as Record<string, string>,
    });
  }
  return responses;
}

/** A stable API-Gateway-style id (lowercase alphanumerics) for something the physical ids do not cover. */
function localId(length: number, key: string): string {
  const digits = BigInt(`0x${createHash('sha256').update(key).digest('hex')}`).toString(36);
  return digits.padStart(length, '0').slice(-length);
}
