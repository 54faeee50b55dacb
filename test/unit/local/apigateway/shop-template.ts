import type { CfnTemplate } from '../../../../local/assembly/cloud-assembly';
import { assignPhysicalIds, IntrinsicResolver, type PhysicalResource } from '../../../../local/assembly/intrinsics';
import { LOCAL_CONTEXT } from '../assembly/local-context';

/** The pseudo parameters the local runtime uses. */
export const CONTEXT = LOCAL_CONTEXT;

const lambdaUri = (fn: string) => ({
  'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':apigateway:', { Ref: 'AWS::Region' }, ':lambda:path/2015-03-31/functions/', { 'Fn::GetAtt': [fn, 'Arn'] }, '/invocations']],
});
const resource = (api: string, parent: unknown, pathPart: string) => ({
  Type: 'AWS::ApiGateway::Resource',
  Properties: { RestApiId: { Ref: api }, ParentId: parent, PathPart: pathPart },
});
const method = (api: string, resourceId: unknown, httpMethod: string, fn: string, authorizationType = 'NONE', extra: Record<string, unknown> = {}) => ({
  Type: 'AWS::ApiGateway::Method',
  Properties: {
    RestApiId: { Ref: api },
    ResourceId: resourceId,
    HttpMethod: httpMethod,
    AuthorizationType: authorizationType,
    Integration: { Type: 'AWS_PROXY', IntegrationHttpMethod: 'POST', Uri: lambdaUri(fn), ...extra },
  },
});
const fn = (role: string, env: Record<string, unknown> = {}) => ({
  Type: 'AWS::Lambda::Function',
  Properties: {
    Runtime: 'nodejs22.x',
    Handler: 'index.handler',
    Code: { S3Bucket: 'cdk-assets', S3Key: 'abc.zip' },
    Role: { 'Fn::GetAtt': [role, 'Arn'] },
    Timeout: 5,
    MemorySize: 256,
    Environment: { Variables: env },
    TracingConfig: { Mode: 'Active' },
    LoggingConfig: { LogFormat: 'JSON', ApplicationLogLevel: 'INFO' },
  },
});
const role = () => ({
  Type: 'AWS::IAM::Role',
  Properties: { AssumeRolePolicyDocument: { Statement: [{ Action: 'sts:AssumeRole', Effect: 'Allow', Principal: { Service: 'lambda.amazonaws.com' } }] } },
});
const apiUrl = (api: string, stage: string) => ({
  'Fn::Join': ['', ['https://', { Ref: api }, '.execute-api.', { Ref: 'AWS::Region' }, '.', { Ref: 'AWS::URLSuffix' }, '/', { Ref: stage }, '/']],
});

/**
 * A template shaped like what CDK synthesizes for the shop: a public API (products, orders, a greedy files route,
 * a mock OPTIONS), an internal IAM API (reservations), three functions with their roles, the orders role allowed
 * `execute-api:Invoke` on POST /reservations, stage throttling and a customized gateway response.
 */
export function shopTemplate(): CfnTemplate {
  return {
    Resources: {
      PublicApiRestApi1A2B3C4D: { Type: 'AWS::ApiGateway::RestApi', Properties: { Name: 'HybridShop-public', BinaryMediaTypes: ['image/png'] } },
      PublicApiDeployment11111111: { Type: 'AWS::ApiGateway::Deployment', Properties: { RestApiId: { Ref: 'PublicApiRestApi1A2B3C4D' } } },
      PublicApiStageprod22222222: {
        Type: 'AWS::ApiGateway::Stage',
        Properties: {
          RestApiId: { Ref: 'PublicApiRestApi1A2B3C4D' },
          DeploymentId: { Ref: 'PublicApiDeployment11111111' },
          StageName: 'prod',
          Variables: { flavour: 'local' },
          MethodSettings: [
            { HttpMethod: '*', ResourcePath: '/*', ThrottlingRateLimit: 100, ThrottlingBurstLimit: 200, DataTraceEnabled: false },
            { HttpMethod: 'POST', ResourcePath: '/~1orders', ThrottlingRateLimit: 0.001, ThrottlingBurstLimit: 1 },
          ],
        },
      },
      PublicApiproducts33333333: resource('PublicApiRestApi1A2B3C4D', { 'Fn::GetAtt': ['PublicApiRestApi1A2B3C4D', 'RootResourceId'] }, 'products'),
      PublicApiproductsGET44444444: method('PublicApiRestApi1A2B3C4D', { Ref: 'PublicApiproducts33333333' }, 'GET', 'CatalogListProductsFunctionAAAAAAAA'),
      PublicApiproductssku55555555: resource('PublicApiRestApi1A2B3C4D', { Ref: 'PublicApiproducts33333333' }, '{sku}'),
      PublicApiproductsskuGET66666666: method('PublicApiRestApi1A2B3C4D', { Ref: 'PublicApiproductssku55555555' }, 'GET', 'CatalogGetProductFunctionBBBBBBBB'),
      PublicApiproductsfeatured77777777: resource('PublicApiRestApi1A2B3C4D', { Ref: 'PublicApiproducts33333333' }, 'featured'),
      PublicApiproductsfeaturedGET88888888: method('PublicApiRestApi1A2B3C4D', { Ref: 'PublicApiproductsfeatured77777777' }, 'GET', 'CatalogListProductsFunctionAAAAAAAA'),
      PublicApiorders99999999: resource('PublicApiRestApi1A2B3C4D', { 'Fn::GetAtt': ['PublicApiRestApi1A2B3C4D', 'RootResourceId'] }, 'orders'),
      PublicApiordersPOSTAAAA0000: method('PublicApiRestApi1A2B3C4D', { Ref: 'PublicApiorders99999999' }, 'POST', 'OrdersPlaceOrderFunctionCCCCCCCC', 'NONE', { TimeoutInMillis: 200 }),
      PublicApiordersOPTIONSBBBB0000: {
        Type: 'AWS::ApiGateway::Method',
        Properties: {
          RestApiId: { Ref: 'PublicApiRestApi1A2B3C4D' },
          ResourceId: { Ref: 'PublicApiorders99999999' },
          HttpMethod: 'OPTIONS',
          AuthorizationType: 'NONE',
          Integration: {
            Type: 'MOCK',
            RequestTemplates: { 'application/json': '{ statusCode: 200 }' },
            IntegrationResponses: [{ StatusCode: '204', ResponseParameters: { 'method.response.header.Access-Control-Allow-Origin': "'*'" } }],
          },
        },
      },
      PublicApifilesCCCC0000: resource('PublicApiRestApi1A2B3C4D', { 'Fn::GetAtt': ['PublicApiRestApi1A2B3C4D', 'RootResourceId'] }, 'files'),
      PublicApifilesproxyDDDD0000: resource('PublicApiRestApi1A2B3C4D', { Ref: 'PublicApifilesCCCC0000' }, '{proxy+}'),
      PublicApifilesproxyANYEEEE0000: method('PublicApiRestApi1A2B3C4D', { Ref: 'PublicApifilesproxyDDDD0000' }, 'ANY', 'CatalogGetProductFunctionBBBBBBBB'),
      PublicApiMissingTokenFFFF0000: {
        Type: 'AWS::ApiGateway::GatewayResponse',
        Properties: {
          RestApiId: { Ref: 'PublicApiRestApi1A2B3C4D' },
          ResponseType: 'MISSING_AUTHENTICATION_TOKEN',
          StatusCode: '404',
          ResponseParameters: { 'gatewayresponse.header.Content-Type': "'application/problem+json'" },
          ResponseTemplates: {
            'application/json': '{"title":"Not Found","detail":"No route matches $context.httpMethod $context.path","code":"$context.error.responseType"}',
          },
        },
      },

      InternalApiRestApi5E6F7A8B: { Type: 'AWS::ApiGateway::RestApi', Properties: { Name: 'HybridShop-internal' } },
      InternalApiStageprod12121212: {
        Type: 'AWS::ApiGateway::Stage',
        Properties: { RestApiId: { Ref: 'InternalApiRestApi5E6F7A8B' }, StageName: 'prod' },
      },
      InternalApireservations34343434: resource('InternalApiRestApi5E6F7A8B', { 'Fn::GetAtt': ['InternalApiRestApi5E6F7A8B', 'RootResourceId'] }, 'reservations'),
      InternalApireservationsPOST56565656: method('InternalApiRestApi5E6F7A8B', { Ref: 'InternalApireservations34343434' }, 'POST', 'InventoryCreateReservationFunctionDDDDDDDD', 'AWS_IAM'),
      InternalApireservationsorderId78787878: resource('InternalApiRestApi5E6F7A8B', { Ref: 'InternalApireservations34343434' }, '{orderId}'),
      InternalApireservationsorderIdDELETE90909090: method(
        'InternalApiRestApi5E6F7A8B',
        { Ref: 'InternalApireservationsorderId78787878' },
        'DELETE',
        'InventoryCreateReservationFunctionDDDDDDDD',
        'AWS_IAM',
      ),

      CatalogRoleAAAA1111: role(),
      CatalogListProductsFunctionAAAAAAAA: fn('CatalogRoleAAAA1111', { PRODUCTS_TABLE_NAME: 'products' }),
      CatalogGetProductFunctionBBBBBBBB: fn('CatalogRoleAAAA1111'),
      OrdersRoleBBBB2222: role(),
      OrdersRoleDefaultPolicyCCCC3333: {
        Type: 'AWS::IAM::Policy',
        Properties: {
          PolicyName: 'OrdersRoleDefaultPolicy',
          Roles: [{ Ref: 'OrdersRoleBBBB2222' }],
          PolicyDocument: {
            Version: '2012-10-17',
            Statement: [
              {
                Effect: 'Allow',
                Action: 'execute-api:Invoke',
                Resource: {
                  'Fn::Join': [
                    '',
                    ['arn:', { Ref: 'AWS::Partition' }, ':execute-api:', { Ref: 'AWS::Region' }, ':', { Ref: 'AWS::AccountId' }, ':', { Ref: 'InternalApiRestApi5E6F7A8B' }, '/', { Ref: 'InternalApiStageprod12121212' }, '/POST/reservations'],
                  ],
                },
              },
            ],
          },
        },
      },
      OrdersPlaceOrderFunctionCCCCCCCC: fn('OrdersRoleBBBB2222', { INVENTORY_API_URL: apiUrl('InternalApiRestApi5E6F7A8B', 'InternalApiStageprod12121212'), LOG_LEVEL: 'INFO' }),
      InventoryRoleDDDD4444: role(),
      InventoryCreateReservationFunctionDDDDDDDD: fn('InventoryRoleDDDD4444'),
    },
    Outputs: {
      PublicApiUrl: { Value: apiUrl('PublicApiRestApi1A2B3C4D', 'PublicApiStageprod22222222') },
    },
  };
}

/** The template with local physical ids and a resolver over them, as the runtime builds them. */
export function resolvedShop(): { template: CfnTemplate; physical: Map<string, PhysicalResource>; resolver: IntrinsicResolver } {
  const template = shopTemplate();
  const physical = assignPhysicalIds(template, CONTEXT, { edgeUrl: 'http://127.0.0.1:4566' });
  return { template, physical, resolver: new IntrinsicResolver(template, CONTEXT, physical) };
}
