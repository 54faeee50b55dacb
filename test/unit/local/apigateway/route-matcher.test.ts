import { ApiMethod, ApiResource } from '../../../../local/apigateway/rest-api-model';
import { matchRoute } from '../../../../local/apigateway/route-matcher';

function method(httpMethod: string, functionRef: string): ApiMethod {
  return { httpMethod, authorizationType: 'NONE', integration: { type: 'AWS_PROXY', functionRef, timeoutMs: 29_000 } };
}

function node(path: string, methods: ApiMethod[], children: ApiResource[] = []): ApiResource {
  const pathPart = path === '/' ? '' : path.slice(path.lastIndexOf('/') + 1);
  return { id: path, pathPart, path, methods: new Map(methods.map((m) => [m.httpMethod, m])), children };
}

/** /, /products (GET), /products/featured (GET), /products/{sku} (GET, DELETE), /{any} (POST), /files/{proxy+} (ANY), /files/readme (GET) */
const root = node('/', [method('GET', 'root')], [
  node('/products', [method('GET', 'list')], [node('/products/featured', [method('GET', 'featured')]), node('/products/{sku}', [method('GET', 'get'), method('DELETE', 'delete')])]),
  node('/{any}', [method('POST', 'any-post')], [node('/{any}/detail', [method('GET', 'detail')])]),
  node('/files', [], [node('/files/{proxy+}', [method('ANY', 'files')]), node('/files/readme', [method('GET', 'readme')])]),
]);

const target = (m: ReturnType<typeof matchRoute>) => (m?.method.integration.type === 'AWS_PROXY' ? m.method.integration.functionRef : undefined);

describe('matchRoute', () => {
  it('matches the root resource', () => {
    expect(target(matchRoute(root, 'GET', '/'))).toBe('root');
  });

  it('binds a {param} segment, decoded', () => {
    // Act
    const match = matchRoute(root, 'GET', '/products/SKU%2001');

    // Assess
    expect(target(match)).toBe('get');
    expect(match?.pathParameters).toEqual({ sku: 'SKU 01' });
    expect(match?.resource.path).toBe('/products/{sku}');
  });

  it('prefers a literal path part over a {param}', () => {
    expect(target(matchRoute(root, 'GET', '/products/featured'))).toBe('featured');
  });

  it('binds the rest of the path to a greedy {proxy+}, slashes included', () => {
    // Act
    const match = matchRoute(root, 'PUT', '/files/a/b/c.txt');

    // Assess
    expect(target(match)).toBe('files');
    expect(match?.pathParameters).toEqual({ proxy: 'a/b/c.txt' });
  });

  it('prefers a literal sibling over the greedy {proxy+}', () => {
    expect(target(matchRoute(root, 'GET', '/files/readme'))).toBe('readme');
  });

  it('lets ANY answer every method, but an exact method first', () => {
    expect(target(matchRoute(root, 'DELETE', '/files/readme'))).toBe('files');
  });

  it('backtracks to a {param} branch when the literal branch has no such method or path', () => {
    expect(target(matchRoute(root, 'POST', '/products'))).toBe('any-post');
    expect(matchRoute(root, 'GET', '/products/detail')?.resource.path).toBe('/products/{sku}');
    expect(target(matchRoute(root, 'GET', '/orders/detail'))).toBe('detail');
  });

  it('ignores a trailing slash', () => {
    expect(target(matchRoute(root, 'GET', '/products/'))).toBe('list');
  });

  it('finds nothing for an unknown path or a method no resource has', () => {
    expect(matchRoute(root, 'GET', '/orders/1/2/3')).toBeUndefined();
    expect(matchRoute(root, 'PATCH', '/products/SKU-1')).toBeUndefined();
    expect(matchRoute(root, 'GET', '/files')).toBeUndefined();
  });
});
