import { safeDecode } from '../shared/safe-decode';
import { ApiMethod, ApiResource } from './rest-api-model';

/** The resource and method a request path selects, with the path parameters it binds. */
export interface RouteMatch {
  readonly resource: ApiResource;
  readonly method: ApiMethod;
  /** Decoded values by parameter name; a greedy `{proxy+}` binds the rest of the path, slashes included. */
  readonly pathParameters: Readonly<Record<string, string>>;
}

const GREEDY = /^\{(.+)\+\}$/;
const PARAMETER = /^\{([^+]+)\}$/;

/**
 * Finds the method a request reaches, as API Gateway does: at each level a literal path part wins over a
 * `{param}`, which wins over a greedy `{param+}`; a resource matches only if it has the method (or ANY), and the
 * search backtracks to the next candidate otherwise. `path` is the path after the stage, still percent-encoded.
 */
export function matchRoute(root: ApiResource, httpMethod: string, path: string): RouteMatch | undefined {
  const segments = path.split('/').filter((segment) => segment !== '').map(safeDecode);
  return matchFrom(root, segments, 0, {}, httpMethod.toUpperCase());
}

function matchFrom(node: ApiResource, segments: readonly string[], index: number, params: Record<string, string>, httpMethod: string): RouteMatch | undefined {
  if (index === segments.length) {
    const method = node.methods.get(httpMethod) ?? node.methods.get('ANY');
    return method ? { resource: node, method, pathParameters: params } : undefined;
  }
  const segment = segments[index];
  for (const child of node.children) {
    if (child.pathPart === segment && !PARAMETER.test(child.pathPart) && !GREEDY.test(child.pathPart)) {
      const match = matchFrom(child, segments, index + 1, params, httpMethod);
      if (match) return match;
    }
  }
  for (const child of node.children) {
    const name = PARAMETER.exec(child.pathPart)?.[1];
    if (name !== undefined) {
      const match = matchFrom(child, segments, index + 1, { ...params, [name]: segment }, httpMethod);
      if (match) return match;
    }
  }
  for (const child of node.children) {
    const name = GREEDY.exec(child.pathPart)?.[1];
    const method = name === undefined ? undefined : (child.methods.get(httpMethod) ?? child.methods.get('ANY'));
    if (name !== undefined && method) {
      return { resource: child, method, pathParameters: { ...params, [name]: segments.slice(index).join('/') } };
    }
  }
  return undefined;
}
