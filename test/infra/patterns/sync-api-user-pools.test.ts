import { Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import type * as apigateway from 'aws-cdk-lib/aws-apigateway';
import * as cognito from 'aws-cdk-lib/aws-cognito';
import { ServiceFunction } from '../../../lib/patterns/service-function';
import { SyncApi, SyncApiRouteError } from '../../../lib/patterns/sync-api';
import { HELLO, TempApps } from '../support/apps';
import { nagFindings } from '../support/checks';
import { getAttArn, logicalId, type Resources, resourcesOf } from '../support/template';

const apps = new TempApps('sync-api-user-pools');

describe('SyncApi with userPools', () => {
  // Prepare: one pool; an API with a route of each kind, and a second API on the same pool
  const { stack } = apps.createStack('SyncApiUserPoolsTest');
  const pool = new cognito.UserPool(stack, 'Pool');
  const fn = new ServiceFunction(stack, 'Things', { entry: HELLO, serviceName: 'things' });
  const api = new SyncApi(stack, 'Api', { apiName: 'things', userPools: [pool] });
  const getThing = api.addRoute('GET', '/things/{id}', fn, { authorization: 'USER_POOL' });
  const postThing = api.addRoute('POST', '/things', fn, { authorization: 'USER_POOL' });
  const publicThing = api.addRoute('GET', '/things', fn);
  const internalThing = api.addRoute('DELETE', '/things/{id}', fn, { authorization: 'IAM' });
  const other = new SyncApi(stack, 'OtherApi', { apiName: 'other', userPools: [pool] });
  const otherThing = other.addRoute('GET', '/others', fn, { authorization: 'USER_POOL' });
  let template: Template;
  let resources: Resources;

  const methodOf = (method: apigateway.Method) => resources[logicalId(method)].Properties;
  const authorizers = () => Object.entries(resources).filter(([, resource]) => resource.Type === 'AWS::ApiGateway::Authorizer');

  beforeAll(() => {
    template = Template.fromStack(stack);
    resources = resourcesOf(template);
  });

  it('creates one Cognito user-pool authorizer per API, on the API, naming the pool and reading the Authorization header', () => {
    // Act
    const byApi = new Map(authorizers().map(([id, resource]) => [(resource.Properties.RestApiId as { Ref: string }).Ref, { id, ...resource.Properties }]));

    // Assess
    expect(authorizers()).toHaveLength(2);
    for (const restApi of [api.restApi, other.restApi]) {
      expect(byApi.get(logicalId(restApi))).toMatchObject({
        Type: 'COGNITO_USER_POOLS',
        ProviderARNs: [getAttArn(pool)],
        IdentitySource: 'method.request.header.Authorization',
      });
    }
  });

  it("puts each USER_POOL route behind its API's authorizer", () => {
    const authorizerOf = (restApi: apigateway.RestApi) =>
      authorizers().find(([, resource]) => (resource.Properties.RestApiId as { Ref: string }).Ref === logicalId(restApi))?.[0];

    for (const method of [getThing, postThing]) {
      expect(methodOf(method)).toMatchObject({ AuthorizationType: 'COGNITO_USER_POOLS', AuthorizerId: { Ref: authorizerOf(api.restApi) } });
    }
    expect(methodOf(otherThing)).toMatchObject({ AuthorizationType: 'COGNITO_USER_POOLS', AuthorizerId: { Ref: authorizerOf(other.restApi) } });
  });

  it('leaves NONE routes open and IAM routes behind IAM, with no authorizer', () => {
    expect(methodOf(publicThing).AuthorizationType).toBe('NONE');
    expect(methodOf(internalThing).AuthorizationType).toBe('AWS_IAM');
    expect(methodOf(publicThing).AuthorizerId).toBeUndefined();
    expect(methodOf(internalThing).AuthorizerId).toBeUndefined();
  });

  it('creates no authorizer for an API with userPools but no USER_POOL route, and synthesizes', () => {
    // Prepare
    const scope = new Stack(apps.create(), 'NoUserPoolRoutes');
    const fn = new ServiceFunction(scope, 'Fn', { entry: HELLO, serviceName: 'open' });
    const open = new SyncApi(scope, 'Api', { apiName: 'open', userPools: [new cognito.UserPool(scope, 'Pool')] });

    // Act
    open.addRoute('GET', '/open', fn);

    // Assess: an authorizer attached to no method would fail the synthesis
    Template.fromStack(scope).resourceCountIs('AWS::ApiGateway::Authorizer', 0);
  });

  describe('rejects', () => {
    it('a USER_POOL route on an API whose userPools is empty', () => {
      const scope = new Stack(apps.create(), 'EmptyPools');
      const fn = new ServiceFunction(scope, 'Fn', { entry: HELLO, serviceName: 'emptypools' });
      const bare = new SyncApi(scope, 'Api', { apiName: 'bare', userPools: [] });

      expect(() => bare.addRoute('GET', '/orders/{id}', fn, { authorization: 'USER_POOL' })).toThrow(/has no userPools/);
    });

    it('a USER_POOL route it cannot authorize, leaving the route free to add another way', () => {
      // Prepare
      const scope = new Stack(apps.create(), 'Retry');
      const fn = new ServiceFunction(scope, 'Fn', { entry: HELLO, serviceName: 'retry' });
      const bare = new SyncApi(scope, 'Api', { apiName: 'bare' });
      expect(() => bare.addRoute('GET', '/orders/{id}', fn, { authorization: 'USER_POOL' })).toThrow(SyncApiRouteError);

      // Act
      const method = bare.addRoute('GET', '/orders/{id}', fn, { authorization: 'IAM' });

      // Assess
      expect(method.httpMethod).toBe('GET');
      Template.fromStack(scope).resourceCountIs('AWS::ApiGateway::Authorizer', 0);
    });
  });

  describe('cdk-nag', () => {
    it('finds nothing to acknowledge on USER_POOL routes: they are authorized by a user pool', () => {
      // The findings on the APIs, whatever their severity (the test's bare pool is not the pattern's); not on their
      // stages, whose only one is the web ACL these APIs were not given (APIG3: sync-api.test.ts's concern).
      expect(nagFindings(stack, { within: [api, other], except: [api.stage, other.stage] })).toEqual([]);
    });

    it('synthesizes a USER_POOL route with AwsSolutionsChecks registered as a validation plugin', () => {
      // Prepare
      const app = apps.create({ withNag: true });
      const scope = new Stack(app, 'Nag');
      const fn = new ServiceFunction(scope, 'Fn', { entry: HELLO, serviceName: 'nag' });
      const userPool = new cognito.UserPool(scope, 'Pool', {
        passwordPolicy: { minLength: 12, requireLowercase: true, requireUppercase: true, requireDigits: true, requireSymbols: true },
        mfa: cognito.Mfa.REQUIRED,
        mfaSecondFactor: { sms: false, otp: true },
        featurePlan: cognito.FeaturePlan.PLUS,
      });
      const nagApi = new SyncApi(scope, 'Api', { apiName: 'nag', userPools: [userPool], webAcl: {} });
      nagApi.addRoute('GET', '/things/{id}', fn, { authorization: 'USER_POOL' });

      // Act & Assess
      expect(() => app.synth()).not.toThrow();
    });
  });
});
