/**
 * The start-up's REST APIs, in two steps. Each API listens on its port first (`listenApis`): its URL goes into the
 * functions' environment (INVENTORY_API_URL) and the stack's outputs, where the template names the execute-api
 * host. Once the functions exist, each server is given its gateway (`serveApis`), which invokes them; the edge then
 * serves the same APIs at LocalStack's paths.
 */
import { rewriteExecuteApiUrl, type LocalApiEndpoint } from '../apigateway/execute-api-urls';
import { RestApiGateway } from '../apigateway/rest-api-gateway';
import { readRestApis, type RestApiModel } from '../apigateway/rest-api-model';
import { restApisEdgeService, RestApiServer } from '../apigateway/rest-api-server';
import { readWebAcls, webAclNote } from '../apigateway/web-acl-notes';
import type { EdgeServer } from '../edge/edge-server';
import type { LocalApi } from './local-runtime';
import type { StackToRun } from './read-stack';
import type { Resources } from './provision-resources';
import type { RunningCognito } from './start-cognito';
import type { RunningFunctions } from './start-functions';
import type { Startup } from './startup';

/** The APIs listening, not serving yet. */
export interface ListeningApis {
  readonly apis: readonly LocalApi[];
  /** Rewrites the execute-api URLs in a value of the template to the local API ports. */
  readonly rewrite: (value: string) => string;
  readonly servers: readonly { readonly model: RestApiModel; readonly server: RestApiServer }[];
}

export async function listenApis(options: { readonly basePort: number; readonly stack: StackToRun; readonly resources: Resources }, startup: Startup): Promise<ListeningApis> {
  const { basePort, stack } = options;
  const apis: LocalApi[] = [];
  const endpoints: LocalApiEndpoint[] = [];
  const servers: { model: RestApiModel; server: RestApiServer }[] = [];
  for (const [index, model] of readRestApis(stack.template, options.resources.resolver, options.resources.physical).entries()) {
    const server = new RestApiServer();
    const { url: origin } = await server.listen(basePort === 0 ? 0 : basePort + index, '127.0.0.1');
    startup.onStop(() => server.close());
    servers.push({ model, server });
    endpoints.push({ apiId: model.id, localOrigin: origin });
    const stage = [...model.stages.keys()][0] ?? 'prod';
    apis.push({ logicalId: model.logicalId, id: model.id, name: model.name, stage, url: `${origin}/${stage}/` });
  }
  startup.step(`${apis.length} REST APIs: ${apis.map((api) => `${api.name} ${api.url}`).join(', ') || '(none)'}`);
  for (const acl of readWebAcls(stack.template)) startup.log(`  ! ${webAclNote(acl)}`);
  return { apis, servers, rewrite: (value) => rewriteExecuteApiUrl(value, endpoints, stack.region, stack.urlSuffix) };
}

/** What serves the APIs: to serve one anew (a reload's routes). */
export interface ServedApis {
  /** Serves `model`, an API listening since the start (same id), with a gateway built for it from now on. */
  serve(model: RestApiModel): void;
}

/** Gives each listening API its gateway, and serves them on the edge too. */
export function serveApis(
  options: { readonly listening: ListeningApis; readonly stack: StackToRun; readonly functions: RunningFunctions; readonly cognito: RunningCognito; readonly edge: EdgeServer },
  startup: Startup,
): ServedApis {
  const { stack, functions, cognito } = options;
  const { lambda } = functions;
  const functionLabel = (ref: string) => lambda.find(ref)?.config.shortName ?? ref;
  const servers = new Map(options.listening.servers.map(({ model, server }) => [model.id, server]));
  const gateways = new Map<string, RestApiGateway>();
  const serve = (model: RestApiModel) => {
    const server = servers.get(model.id);
    if (server === undefined) throw new Error(`REST API ${model.name} (${model.id}) is not listening: it was not in the stack at start`);
    const gateway = new RestApiGateway({
      model,
      invoker: lambda,
      callers: functions.callers,
      region: stack.region,
      accountId: stack.accountId,
      partition: stack.partition,
      userPools: (ref) => cognito.trustedPool(ref),
      onRequest: (report) => {
        startup.metrics.apiRequest(report);
        startup.trace.apiRequest(report, functionLabel);
      },
    });
    server.serve(gateway);
    gateways.set(model.id, gateway);
  };
  for (const { model } of options.listening.servers) serve(model);
  options.edge.register(restApisEdgeService(gateways));
  return { serve };
}
