/**
 * The app's contracts on the edge, at `/_local/contracts/`: the files of its contracts folder (the shop's
 * `docs/contracts/`, written by `npm run contracts`) as they are on disk, read on every request so a regenerated
 * file shows without a restart. `/_local/contracts/` answers the folder's `index.html`. GET and HEAD only; a name
 * outside the folder, hidden or with a `..` segment is a 404, like a file that is not there (the edge sends no body
 * to a HEAD).
 */
import { readFile } from 'node:fs/promises';
import * as path from 'node:path';
import type { EdgeResponse, EdgeService } from '../edge/edge-server';

/** Where the contracts are served. */
export const CONTRACTS_PATH = '/_local/contracts/';

const CONTENT_TYPES: Readonly<Record<string, string>> = {
  '.html': 'text/html; charset=utf-8',
  '.json': 'application/json',
  '.md': 'text/markdown; charset=utf-8',
};

/** A relative file name the service may serve: segments of letters, digits, `.`, `_` and `-`, none starting with `.`. */
const SERVABLE = /^(?:[A-Za-z0-9_-][A-Za-z0-9._-]*\/)*[A-Za-z0-9_-][A-Za-z0-9._-]*$/;

/** The contracts folder of the app whose cloud assembly is `assemblyDir`: `docs/contracts/` beside it. */
export function defaultContractsDir(assemblyDir: string): string {
  return path.join(path.dirname(path.resolve(assemblyDir)), 'docs', 'contracts');
}

function problem(status: number, title: string, detail: string, headers: Record<string, string> = {}): EdgeResponse {
  return {
    status,
    headers: { 'content-type': 'application/problem+json', ...headers },
    body: JSON.stringify({ type: 'about:blank', title, status, detail }),
  };
}

/** Serves the files of `dir` at `/_local/contracts/`. */
export function contractsService(options: { readonly dir: string }): EdgeService {
  return {
    name: 'contracts',
    matches: (req) => req.url.pathname === CONTRACTS_PATH.slice(0, -1) || req.url.pathname.startsWith(CONTRACTS_PATH),
    handle: async (req) => {
      if (req.method !== 'GET' && req.method !== 'HEAD') {
        return problem(405, 'Method Not Allowed', `${req.url.pathname} takes GET or HEAD.`, { allow: 'GET, HEAD' });
      }
      // Relative links in the page resolve against the folder, so the folder's own URL ends in '/'.
      if (req.url.pathname === CONTRACTS_PATH.slice(0, -1)) return { status: 308, headers: { location: CONTRACTS_PATH } };
      let name = '';
      try {
        if (req.url.pathname.startsWith(CONTRACTS_PATH)) name = decodeURIComponent(req.url.pathname.slice(CONTRACTS_PATH.length)) || 'index.html';
      } catch {
        // A malformed escape names no file.
      }
      const notFound = problem(404, 'Not Found', `There is no contract ${req.url.pathname} in ${options.dir}: npm run contracts writes them.`);
      if (!SERVABLE.test(name)) return notFound;
      let body: Buffer;
      try {
        body = await readFile(path.join(options.dir, name));
      } catch {
        return notFound;
      }
      const type = CONTENT_TYPES[path.extname(name)] ?? 'application/octet-stream';
      return { status: 200, headers: { 'content-type': type, 'cache-control': 'no-cache' }, body };
    },
  };
}
