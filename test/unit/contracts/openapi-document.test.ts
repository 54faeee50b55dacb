import * as z from 'zod/mini';
import { jsonSchemaOf, UnrepresentableSchemaError } from '../../../lib/contracts/json-schema';
import { type ApiContract, ContractMismatchError, type OperationContract, openApiDocument } from '../../../lib/contracts/openapi-document';
import type { RestApiRoutes } from '../../../lib/contracts/rest-api-routes';

const operation = (operationId: string, parameters: OperationContract['parameters'] = []): OperationContract => ({
  operationId,
  summary: operationId,
  description: operationId,
  tag: 'test',
  parameters,
  responses: { '200': { description: 'ok', body: z.object({ ok: z.boolean() }) } },
});

const routes = (...keys: string[]): RestApiRoutes => ({
  logicalId: 'ApiRestApi1234ABCD',
  name: 'Shop-public',
  routes: keys.map((key) => {
    const [method, path] = key.split(' ');
    return { method, path, authorization: 'NONE' as const };
  }),
});

const api = (operations: ApiContract['operations']): ApiContract => ({ title: 'Test', description: 'Test', version: '1', operations });

const ITEM = { name: 'sku', in: 'path', description: 'sku', schema: z.string() } as const;

describe('openApiDocument', () => {
  it('lists each route with its contract', () => {
    const document = openApiDocument(api({ 'GET /items/{sku}': operation('getItem', [ITEM]) }), routes('GET /items/{sku}'));

    expect(Object.keys(document.paths as object)).toEqual(['/items/{sku}']);
  });

  it('refuses a route of the API without a contract, naming it', () => {
    expect(() => openApiDocument(api({}), routes('GET /items'))).toThrow(ContractMismatchError);
    expect(() => openApiDocument(api({}), routes('GET /items'))).toThrow('GET /items is a route of the API and has no contract');
  });

  it('refuses a contract for a route the API does not have, naming it', () => {
    expect(() => openApiDocument(api({ 'DELETE /items': operation('deleteItems') }), routes())).toThrow('DELETE /items has a contract and is no route of the API');
  });

  it('refuses a path parameter without a contract', () => {
    expect(() => openApiDocument(api({ 'GET /items/{sku}': operation('getItem') }), routes('GET /items/{sku}'))).toThrow('the path parameter sku has no contract');
  });
});

describe('jsonSchemaOf', () => {
  it('refuses a pattern with flags, which JSON Schema cannot carry', () => {
    expect(() => jsonSchemaOf(z.object({ id: z.string().check(z.regex(/^[a-f]+$/i)) }), 'body')).toThrow(UnrepresentableSchemaError);
    expect(() => jsonSchemaOf(z.object({ id: z.string().check(z.regex(/^[a-f]+$/i)) }), 'body')).toThrow('body at properties.id');
  });

  it('refuses a refinement that no metadata describes', () => {
    expect(() => jsonSchemaOf(z.string().check(z.refine((value) => value !== 'x')), 'body')).toThrow(UnrepresentableSchemaError);
  });

  it('renders a described refinement as its metadata says', () => {
    const schema = z.string().check(
      z.refine((value) => !Number.isNaN(Date.parse(value))),
      z.meta({ format: 'date-time' }),
    );

    expect(jsonSchemaOf(schema, 'body')).toEqual({ type: 'string', format: 'date-time' });
  });

  it('keeps an object that drops unknown fields open, and a strict one closed', () => {
    expect(jsonSchemaOf(z.object({ a: z.string() }), 'body')).not.toHaveProperty('additionalProperties');
    expect(jsonSchemaOf(z.strictObject({ a: z.string() }), 'body')).toHaveProperty('additionalProperties', false);
  });
});
