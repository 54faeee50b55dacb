import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { startLocalRuntime, type LocalRuntime } from '../../../../local/runtime';

const ASSEMBLY = path.join(__dirname, '..', 'runtime', 'fixtures', 'loopback-assembly');
const CONTRACTS = path.join(__dirname, '..', '..', '..', '..', 'docs', 'contracts');

describe('the contracts on a running local runtime', () => {
  let runtime: LocalRuntime;

  beforeAll(async () => {
    runtime = await startLocalRuntime({ assemblyDir: ASSEMBLY, edgePort: 0, apiBasePort: 0, contractsDir: CONTRACTS, log: () => undefined });
  }, 60_000);

  afterAll(async () => {
    await runtime?.stop();
  });

  it('serves the rendering at /_local/contracts/', async () => {
    const response = await fetch(`${runtime.edgeUrl}/_local/contracts/`);

    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('text/html; charset=utf-8');
    expect(await response.text()).toBe(readFileSync(path.join(CONTRACTS, 'index.html'), 'utf8'));
  });

  it.each(['public-api.openapi.json', 'internal-api.openapi.json', 'events/index.json', 'events/OrderPlaced.schema.json'])('serves %s as it is on disk', async (file) => {
    const response = await fetch(`${runtime.edgeUrl}/_local/contracts/${file}`);

    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('application/json');
    expect(await response.text()).toBe(readFileSync(path.join(CONTRACTS, file), 'utf8'));
  });
});
