import { Template } from 'aws-cdk-lib/assertions';
import type { CfnTemplate } from '../../../../local/assembly/cloud-assembly';
import { assignPhysicalIds, IntrinsicResolver } from '../../../../local/assembly/intrinsics';
import { readRestApis, type RestApiModel } from '../../../../local/apigateway/rest-api-model';
import { ServiceFunction } from '../../../../lib/patterns/service-function';
import { SyncApi } from '../../../../lib/patterns/sync-api';
import { HELLO, unbundledStacks } from '../../../infra/support/apps';
import { CONTEXT } from '../../../unit/local/apigateway/shop-template';

/**
 * A SyncApi named `apiName` with one route, `POST /orders`, to a function (not bundled), as the stack synthesizes it
 * (its gateway responses included), read as the local runtime reads its REST APIs: for a test to serve it on the local
 * gateway. `stackName` names the stack it is built in.
 */
export function syncApiModel(stackName: string, apiName: string): RestApiModel {
  const stack = unbundledStacks(stackName)();
  const fn = new ServiceFunction(stack, 'Orders', { entry: HELLO, serviceName: 'orders' });
  const api = new SyncApi(stack, 'Api', { apiName });
  api.addRoute('POST', '/orders', fn);
  const template = Template.fromStack(stack).toJSON() as CfnTemplate;
  const physical = assignPhysicalIds(template, CONTEXT, { edgeUrl: 'http://127.0.0.1:4566' });
  const [model] = readRestApis(template, new IntrinsicResolver(template, CONTEXT, physical), physical);
  return model;
}
