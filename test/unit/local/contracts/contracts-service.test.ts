import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { contractsService, defaultContractsDir } from '../../../../local/contracts/contracts-service';
import type { EdgeRequest } from '../../../../local/edge/edge-server';

const request = (pathname: string, method = 'GET'): EdgeRequest => ({ method, url: new URL(`http://127.0.0.1:4566${pathname}`), headers: {}, body: Buffer.alloc(0) });

describe('contractsService', () => {
  let root: string;
  let dir: string;

  beforeAll(() => {
    root = mkdtempSync(path.join(os.tmpdir(), 'contracts-service-'));
    dir = path.join(root, 'contracts');
    mkdirSync(path.join(dir, 'events'), { recursive: true });
    writeFileSync(path.join(dir, 'index.html'), '<h1>contracts</h1>');
    writeFileSync(path.join(dir, 'public-api.openapi.json'), '{"openapi":"3.1.0"}');
    writeFileSync(path.join(dir, 'events', 'OrderPlaced.schema.json'), '{"title":"OrderPlaced"}');
    writeFileSync(path.join(root, 'secret.txt'), 'not a contract');
  });

  afterAll(() => rmSync(root, { recursive: true, force: true }));

  it('claims /_local/contracts and what is under it, nothing else of /_local/', () => {
    const service = contractsService({ dir });

    expect(['/_local/contracts', '/_local/contracts/', '/_local/contracts/events/x.json'].map((p) => service.matches(request(p)))).toEqual([true, true, true]);
    expect(['/_local/contractsx', '/_local/faults', '/contracts/'].map((p) => service.matches(request(p)))).toEqual([false, false, false]);
  });

  it('answers the folder with its index.html, as HTML', async () => {
    const response = await contractsService({ dir }).handle(request('/_local/contracts/'));

    expect(response.status).toBe(200);
    expect(response.headers?.['content-type']).toBe('text/html; charset=utf-8');
    expect(String(response.body)).toBe('<h1>contracts</h1>');
  });

  it('redirects the folder without its slash, so the page’s relative links resolve', async () => {
    const response = await contractsService({ dir }).handle(request('/_local/contracts'));

    expect(response).toEqual({ status: 308, headers: { location: '/_local/contracts/' } });
  });

  it('answers the JSON files, in subfolders too', async () => {
    const service = contractsService({ dir });

    const document = await service.handle(request('/_local/contracts/public-api.openapi.json'));
    const event = await service.handle(request('/_local/contracts/events/OrderPlaced.schema.json'));

    expect([document.status, document.headers?.['content-type'], String(document.body)]).toEqual([200, 'application/json', '{"openapi":"3.1.0"}']);
    expect([event.status, String(event.body)]).toEqual([200, '{"title":"OrderPlaced"}']);
  });

  it.each(['/_local/contracts/../secret.txt', '/_local/contracts/%2e%2e/secret.txt', '/_local/contracts/events/..%2F..%2Fsecret.txt', '/_local/contracts/.hidden', '/_local/contracts/nope.json', '/_local/contracts/events'])(
    'answers %s with a 404 problem, never a file outside the folder',
    async (pathname) => {
      const response = await contractsService({ dir }).handle(request(pathname));

      expect(response.status).toBe(404);
      expect(response.headers?.['content-type']).toBe('application/problem+json');
      expect(String(response.body)).not.toContain('not a contract');
    },
  );

  it('refuses a method that is not GET or HEAD with 405', async () => {
    const response = await contractsService({ dir }).handle(request('/_local/contracts/index.html', 'POST'));

    expect(response.status).toBe(405);
    expect(response.headers?.allow).toBe('GET, HEAD');
  });

  it('looks for docs/contracts beside the cloud assembly by default', () => {
    expect(defaultContractsDir('/work/shop/cdk.out')).toBe(path.join('/work/shop', 'docs', 'contracts'));
  });
});
