/**
 * An OpenAPI 3.1 document of one REST API of the stack: its routes as the synthesized template has them (method, path,
 * authorizer), each described by the app's `OperationContract` for it, every schema generated from zod
 * (`jsonSchemaOf`). A route without a contract, or a contract without a route, is an error: the document lists
 * exactly what API Gateway serves.
 */
import * as z from 'zod/mini';
import { problemSchema } from '../../lambdas/shared/http/problem-response';
import { type JsonSchema, jsonSchemaOf } from './json-schema';
import { type RestApiRoute, type RestApiRoutes, routeKey } from './rest-api-routes';

export interface ParameterContract {
  readonly name: string;
  readonly in: 'path' | 'query' | 'header';
  readonly description: string;
  /** The value's schema; a path parameter is always required. */
  readonly schema: z.ZodMiniType;
  /** @default - true for a path parameter, false otherwise */
  readonly required?: boolean;
  readonly example?: string;
}

export interface HeaderContract {
  readonly description: string;
  readonly schema: z.ZodMiniType;
  /** @default false */
  readonly required?: boolean;
}

export interface ResponseContract {
  readonly description: string;
  /** An `application/json` body. @default - no JSON body */
  readonly body?: z.ZodMiniType;
  /** An `application/problem+json` body (RFC 9457). @default false */
  readonly problem?: boolean;
  /** Response headers by name. @default - none */
  readonly headers?: Readonly<Record<string, HeaderContract>>;
  /** An example of the JSON body. @default - none */
  readonly example?: unknown;
}

export interface RequestBodyContract {
  readonly description: string;
  readonly schema: z.ZodMiniType;
  readonly required: boolean;
  readonly example: unknown;
}

export interface OperationContract {
  readonly operationId: string;
  readonly summary: string;
  readonly description: string;
  readonly tag: string;
  /** @default - none */
  readonly parameters?: readonly ParameterContract[];
  /** @default - the operation takes no body */
  readonly requestBody?: RequestBodyContract;
  /** By status code: what the function answers. What API Gateway itself answers is added (`gatewayResponses`). */
  readonly responses: Readonly<Record<string, ResponseContract>>;
}

export interface ApiContract {
  readonly title: string;
  readonly description: string;
  readonly version: string;
  /** By `METHOD /path`: one per route of the API, no more. */
  readonly operations: Readonly<Record<string, OperationContract>>;
}

/** A route and its contract do not match: a route without a contract, a contract without a route, a parameter missing. */
export class ContractMismatchError extends Error {
  constructor(apiName: string, problems: readonly string[]) {
    super(`The contract of ${apiName} does not match its routes:\n- ${problems.join('\n- ')}\nDescribe each route in bin/contracts.ts, then run npm run contracts.`);
    this.name = 'ContractMismatchError';
  }
}

const PROBLEM_REF = { $ref: '#/components/schemas/Problem' };

/** A plain string, for a header's schema: zod's own, so the document has one source of schemas. */
const STRING: z.ZodMiniType = z.string();

/** The security requirement and scheme of each authorizer API Gateway runs before a function (as API Gateway exports them). */
const SECURITY: Readonly<Record<string, { readonly name: string; readonly scheme: JsonSchema } | undefined>> = {
  COGNITO_USER_POOLS: {
    name: 'cognitoIdToken',
    scheme: {
      type: 'apiKey',
      in: 'header',
      name: 'Authorization',
      description:
        "A Cognito ID token of the shop's user pool, as it is (no `Bearer ` prefix). API Gateway's user-pool authorizer checks its signature, issuer, audience and expiry before any function runs, and passes its claims on; the customer is the token's `sub`.",
      'x-amazon-apigateway-authtype': 'cognito_user_pools',
    },
  },
  AWS_IAM: {
    name: 'sigv4',
    scheme: {
      type: 'apiKey',
      in: 'header',
      name: 'Authorization',
      description:
        'AWS Signature Version 4 (service `execute-api`): the caller signs with credentials whose IAM policy allows `execute-api:Invoke` on the route.',
      'x-amazon-apigateway-authtype': 'awsSigv4',
    },
  },
};

/** What API Gateway answers itself, before or instead of the function, by the route's authorizer. */
function gatewayResponses(route: RestApiRoute): Record<string, ResponseContract> {
  const always: Record<string, ResponseContract> = {
    '429': { description: "Throttled by API Gateway: the stage's request rate is exceeded (or, with the web ACL, the caller's per-IP rate).", problem: true },
    '500': { description: 'An unexpected fault; the problem reveals nothing about it.', problem: true },
  };
  if (route.authorization === 'COGNITO_USER_POOLS') {
    return {
      '401': {
        description: "No ID token in `Authorization`, or one API Gateway's authorizer refuses (expired, forged, another pool's).",
        problem: true,
        headers: { 'WWW-Authenticate': { description: 'The scheme to answer with: `Bearer`.', schema: STRING } },
      },
      ...always,
    };
  }
  if (route.authorization === 'AWS_IAM') {
    return {
      '403': { description: "A bad or expired SigV4 signature, or the caller's IAM policy does not allow `execute-api:Invoke` on the route.", problem: true },
      ...always,
    };
  }
  return always;
}


function sortedStatuses<T>(responses: Readonly<Record<string, T>>): [string, T][] {
  return Object.entries(responses).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
}

function parameterObject(parameter: ParameterContract, where: string): JsonSchema {
  return {
    name: parameter.name,
    in: parameter.in,
    description: parameter.description,
    required: parameter.in === 'path' ? true : (parameter.required ?? false),
    schema: jsonSchemaOf(parameter.schema, `${where} ${parameter.in} parameter ${parameter.name}`),
    ...(parameter.example === undefined ? {} : { example: parameter.example }),
  };
}

function responseObject(response: ResponseContract, where: string): JsonSchema {
  const headers = Object.entries(response.headers ?? {});
  const content = response.problem
    ? { 'application/problem+json': { schema: PROBLEM_REF } }
    : response.body === undefined
      ? undefined
      : {
          'application/json': {
            schema: jsonSchemaOf(response.body, `${where} response body`),
            ...(response.example === undefined ? {} : { example: response.example }),
          },
        };
  return {
    description: response.description,
    ...(headers.length === 0
      ? {}
      : {
          headers: Object.fromEntries(
            headers.map(([name, header]) => [
              name,
              { description: header.description, required: header.required ?? false, schema: jsonSchemaOf(header.schema, `${where} response header ${name}`) },
            ]),
          ),
        }),
    ...(content === undefined ? {} : { content }),
  };
}

function operationObject(route: RestApiRoute, operation: OperationContract): JsonSchema {
  const where = routeKey(route);
  const security = SECURITY[route.authorization];
  const responses = { ...gatewayResponses(route), ...operation.responses };
  return {
    operationId: operation.operationId,
    summary: operation.summary,
    description: operation.description,
    tags: [operation.tag],
    security: security === undefined ? [] : [{ [security.name]: [] }],
    ...(operation.parameters === undefined ? {} : { parameters: operation.parameters.map((parameter) => parameterObject(parameter, where)) }),
    ...(operation.requestBody === undefined
      ? {}
      : {
          requestBody: {
            description: operation.requestBody.description,
            required: operation.requestBody.required,
            content: {
              'application/json': {
                schema: jsonSchemaOf(operation.requestBody.schema, `${where} request body`),
                example: operation.requestBody.example,
              },
            },
          },
        }),
    responses: Object.fromEntries(sortedStatuses(responses).map(([status, response]) => [status, responseObject(response, where)])),
  };
}

function mismatches(api: ApiContract, routes: RestApiRoutes): string[] {
  const problems: string[] = [];
  const keys = new Set(routes.routes.map(routeKey));
  for (const route of routes.routes) {
    const key = routeKey(route);
    const operation = api.operations[key];
    if (operation === undefined) {
      problems.push(`${key} is a route of the API and has no contract`);
      continue;
    }
    const inPath = [...route.path.matchAll(/\{([^}+]+)\+?\}/g)].map((match) => match[1]);
    const described = (operation.parameters ?? []).filter((parameter) => parameter.in === 'path').map((parameter) => parameter.name);
    for (const name of inPath) if (!described.includes(name)) problems.push(`${key}: the path parameter ${name} has no contract`);
    for (const name of described) if (!inPath.includes(name)) problems.push(`${key}: the contract names a path parameter ${name} the path does not have`);
  }
  for (const key of Object.keys(api.operations)) if (!keys.has(key)) problems.push(`${key} has a contract and is no route of the API`);
  return problems;
}

/** The OpenAPI 3.1 document of `routes` (one REST API of the template) as `api` describes them. */
export function openApiDocument(api: ApiContract, routes: RestApiRoutes): JsonSchema {
  const problems = mismatches(api, routes);
  if (problems.length > 0) throw new ContractMismatchError(routes.name, problems);
  const paths = new Map<string, Record<string, JsonSchema>>();
  for (const route of routes.routes) {
    const operations = paths.get(route.path) ?? {};
    operations[route.method.toLowerCase()] = operationObject(route, api.operations[routeKey(route)]);
    paths.set(route.path, operations);
  }
  const schemes = [...new Set(routes.routes.map((route) => SECURITY[route.authorization]).filter((security) => security !== undefined))];
  return {
    openapi: '3.1.0',
    info: { title: api.title, version: api.version, description: api.description },
    jsonSchemaDialect: 'https://json-schema.org/draft/2020-12/schema',
    servers: [
      {
        url: 'https://{apiId}.execute-api.{region}.amazonaws.com/{stage}',
        description: `The stage of the REST API ${routes.name} (npm start prints the local runtime's URL).`,
        variables: { apiId: { default: 'apiId' }, region: { default: 'us-east-1' }, stage: { default: 'prod' } },
      },
    ],
    paths: Object.fromEntries(paths),
    components: {
      schemas: { Problem: jsonSchemaOf(problemSchema(), 'Problem') },
      ...(schemes.length === 0 ? {} : { securitySchemes: Object.fromEntries(schemes.map((security) => [security.name, security.scheme])) }),
    },
  };
}
