import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';

const ROOT = path.resolve(__dirname, '../../..');

/** `npm run bench -- --quick --only overhead --out <dir>`: its exit code and output. */
function quickBench(outDir: string): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      ['--import', 'tsx', path.join(ROOT, 'bench', 'bench.ts'), '--quick', '--only', 'overhead', '--out', outDir],
      { cwd: ROOT, maxBuffer: 16 * 1024 * 1024, timeout: 90_000 },
      (error, stdout, stderr) => resolve({ code: error ? Number((error as { code?: number }).code ?? 1) : 0, stdout, stderr }),
    );
  });
}

describe('npm run bench --quick (a smoke run on the local runtime)', () => {
  const outDir = mkdtempSync(path.join(tmpdir(), 'bench-smoke-'));
  afterAll(() => rmSync(outDir, { recursive: true, force: true }));

  it('measures, saves its results, and writes report.md, report.html and the SVG charts, with progress and verdicts', async () => {
    // Act
    const run = await quickBench(outDir);

    // Assess: 0 when every target passed, 1 when one was missed; never a crash
    expect(run.stderr).toBe('');
    expect([0, 1]).toContain(run.code);
    expect(run.stdout).toMatch(/\[\s*\d+ s\] overhead: \d+ connection\(s\): \d+ requests\/s/);
    expect(run.stdout).toMatch(/(PASS|MISS)\s+runtime overhead p50 ≤ 1 ms/);
    expect(existsSync(path.join(outDir, 'results', 'overhead.json'))).toBe(true);
    const md = readFileSync(path.join(outDir, 'report.md'), 'utf8');
    expect(md).toContain('## Local runtime overhead');
    expect(md).toContain('(**quick run: short phases, not the report’s figures**)');
    expect(md).toContain('![GET /products/SKU-0001: through the local runtime against in-process](charts/overhead-ecdf.svg)');
    expect(readFileSync(path.join(outDir, 'charts', 'overhead-ecdf.svg'), 'utf8')).toMatch(/^<svg /);
    const html = readFileSync(path.join(outDir, 'report.html'), 'utf8');
    expect(html).toContain('<figure id="overhead-throughput"');
    expect(html).toContain('<svg ');
  }, 100_000);
});
