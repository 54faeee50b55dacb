/**
 * The committed contracts (docs/contracts/) are what `npm run contracts` writes from the stack as it is now, and each
 * OpenAPI document lists exactly the routes of its synthesized REST API, with the authorizer API Gateway runs.
 */
import * as path from 'node:path';
import { committedContractFiles, contractFiles, shopTemplate } from '../../../bin/contracts';
import type { CfnTemplate } from '../../../lib/capacity/shop-template';
import { readShopTemplate } from '../../../lib/capacity/shop-template';
import { restApiRoutes, routeKey } from '../../../lib/contracts/rest-api-routes';

const ROOT = path.join(__dirname, '..', '..', '..');
const CONTRACTS = path.join(ROOT, 'docs', 'contracts');

/** The document of each REST API, by the construct that makes it (`PublicApi` → public-api.openapi.json). */
const DOCUMENT_OF: Readonly<Record<string, string>> = { PublicApiRestApi: 'public-api.openapi.json', InternalApiRestApi: 'internal-api.openapi.json' };

type Document = { readonly paths: Record<string, Record<string, { readonly security: Record<string, string[]>[] }>> };

const documentRoutes = (document: Document): string[] =>
  Object.entries(document.paths).flatMap(([routePath, methods]) => Object.keys(methods).map((method) => `${method.toUpperCase()} ${routePath}`));

describe('docs/contracts', () => {
  let template: CfnTemplate;
  let committed: ReadonlyMap<string, string>;

  beforeAll(() => {
    template = shopTemplate(ROOT);
    committed = committedContractFiles(CONTRACTS);
  }, 180_000);

  it('holds what npm run contracts writes now (run it after changing a route or a schema)', () => {
    // Act
    const generated = contractFiles(template);

    // Assess: the same files, each with the same text.
    expect([...committed.keys()].sort()).toEqual([...generated.keys()].sort());
    for (const [file, text] of generated) expect({ file, text: committed.get(file) }).toEqual({ file, text });
  });

  it('has a document for every REST API of the stack', () => {
    const apis = [...readShopTemplate(template).apis.values()].map((api) => api.name);

    expect(apis.sort()).toEqual(Object.keys(DOCUMENT_OF).sort());
  });

  it.each(Object.entries(DOCUMENT_OF))('lists in %s’s document exactly its routes', (apiName, file) => {
    // Prepare: the routes as the capacity model reads them from the template, a reader of its own.
    const api = [...readShopTemplate(template).apis.values()].find((candidate) => candidate.name === apiName);
    const document = JSON.parse(committed.get(file) ?? '{}') as Document;

    // Act
    const inDocument = documentRoutes(document).sort();

    // Assess
    expect(api).toBeDefined();
    expect(inDocument).toEqual(Object.keys(api?.routes ?? {}).sort());
  });

  it('names the authorizer API Gateway runs for each route', () => {
    const schemeOf: Readonly<Record<string, string[]>> = { NONE: [], COGNITO_USER_POOLS: ['cognitoIdToken'], AWS_IAM: ['sigv4'] };
    const documents = Object.values(DOCUMENT_OF).map((file) => JSON.parse(committed.get(file) ?? '{}') as Document);

    const mismatched = restApiRoutes(template)
      .flatMap((api) => api.routes)
      .filter((route) => {
        const operation = documents.map((document) => document.paths[route.path]?.[route.method.toLowerCase()]).find((found) => found !== undefined);
        return JSON.stringify(operation?.security.flatMap((requirement) => Object.keys(requirement))) !== JSON.stringify(schemeOf[route.authorization]);
      })
      .map(routeKey);

    expect(restApiRoutes(template).flatMap((api) => api.routes).length).toBeGreaterThan(0);
    expect(mismatched).toEqual([]);
  });
});
