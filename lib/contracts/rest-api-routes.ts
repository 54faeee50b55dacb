/**
 * The routes of each REST API in a synthesized template, as API Gateway will serve them: what the OpenAPI documents
 * (`npm run contracts`) list, so a route added to or removed from the stack cannot be missed by them.
 */
import { type CfnResource, type CfnTemplate, referencedId, referencedIds } from '../capacity/shop-template';

/** How API Gateway authorizes a route: the method's AuthorizationType. */
export type RouteAuthorizationType = 'NONE' | 'AWS_IAM' | 'COGNITO_USER_POOLS' | 'CUSTOM';

export interface RestApiRoute {
  /** `GET`, `POST`… */
  readonly method: string;
  /** The resource path, with its parameters: `/orders/{id}`. */
  readonly path: string;
  readonly authorization: RouteAuthorizationType;
  /** The logical ID of the function its Lambda proxy integration invokes, when it has one. */
  readonly functionId?: string;
}

export interface RestApiRoutes {
  readonly logicalId: string;
  /** The API's `Name`. */
  readonly name: string;
  /** Sorted by path, then method. */
  readonly routes: readonly RestApiRoute[];
}

/** `METHOD /path`: how a route is named in the documents' tests and errors. */
export const routeKey = (route: Pick<RestApiRoute, 'method' | 'path'>): string => `${route.method} ${route.path}`;

/** Each `AWS::ApiGateway::RestApi` of `template` with its methods' routes, sorted by logical ID. */
export function restApiRoutes(template: CfnTemplate): RestApiRoutes[] {
  const resources = template.Resources;
  const properties = (id: string | undefined): Readonly<Record<string, unknown>> => (id === undefined ? {} : (resources[id]?.Properties ?? {}));
  // A method on the root names it with Fn::GetAtt [api, RootResourceId]: the API itself, whose path is ''.
  const pathOf = (resourceId: string | undefined): string =>
    resourceId !== undefined && resources[resourceId]?.Type === 'AWS::ApiGateway::Resource'
      ? `${pathOf(referencedId(properties(resourceId).ParentId))}/${String(properties(resourceId).PathPart)}`
      : '';
  const methods = Object.values(resources).filter((resource): resource is CfnResource => resource.Type === 'AWS::ApiGateway::Method');
  return Object.entries(resources)
    .filter(([, resource]) => resource.Type === 'AWS::ApiGateway::RestApi')
    .sort(([a], [b]) => (a < b ? -1 : 1))
    .map(([logicalId, api]) => {
      const routes = methods
        .map((method) => method.Properties ?? {})
        .filter((method) => referencedId(method.RestApiId) === logicalId)
        .map((method): RestApiRoute => {
          const functionId = [...referencedIds(method.Integration)].find((id) => resources[id]?.Type === 'AWS::Lambda::Function');
          return {
            method: String(method.HttpMethod),
            path: pathOf(referencedId(method.ResourceId)) || '/',
            authorization: String(method.AuthorizationType ?? 'NONE') as RouteAuthorizationType,
            ...(functionId === undefined ? {} : { functionId }),
          };
        })
        .sort((a, b) => (a.path === b.path ? (a.method < b.method ? -1 : 1) : a.path < b.path ? -1 : 1));
      return { logicalId, name: String(api.Properties?.Name ?? logicalId), routes };
    });
}

/** The literal value of environment variable `name` of function `functionId`; undefined when absent or not a literal. */
export function functionEnvironmentValue(template: CfnTemplate, functionId: string, name: string): string | undefined {
  const variables = (template.Resources[functionId]?.Properties?.Environment as { Variables?: Record<string, unknown> } | undefined)?.Variables;
  const value = variables?.[name];
  return typeof value === 'string' ? value : undefined;
}
