import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { commitOf } from '../../../../bench/support/run-info';

describe('commitOf', () => {
  let repo: string;
  const git = (...args: string[]) => execFileSync('git', args, { cwd: repo, encoding: 'utf8' }).trim();
  const write = (file: string, text: string) => {
    mkdirSync(path.dirname(path.join(repo, file)), { recursive: true });
    writeFileSync(path.join(repo, file), text);
  };

  beforeEach(() => {
    // Prepare: a checkout with code and the bench's committed outputs
    repo = mkdtempSync(path.join(tmpdir(), 'run-info-'));
    git('init', '--quiet');
    write('local/runtime.ts', 'export {};\n');
    write('bench/report.md', '# report\n');
    write('bench/charts/overhead.svg', '<svg/>\n');
    write('bench/results/overhead.json', '{}\n');
    git('add', '.');
    git('-c', 'user.name=bench', '-c', 'user.email=bench@example.com', 'commit', '--quiet', '-m', 'first');
  });
  afterEach(() => rmSync(repo, { recursive: true, force: true }));

  it('names the commit alone when nothing changed', () => {
    expect(commitOf(repo)).toBe(git('rev-parse', '--short', 'HEAD'));
  });

  it('does not count the outputs an earlier family of the same run rewrote as changes', () => {
    write('bench/report.md', '# report, rewritten\n');
    write('bench/charts/overhead.svg', '<svg></svg>\n');
    write('bench/results/overhead.json', '{"family":"overhead"}\n');

    expect(commitOf(repo)).toBe(git('rev-parse', '--short', 'HEAD'));
  });

  it('marks a change to the code, also when the outputs changed too, and from a subfolder', () => {
    write('bench/report.md', '# report, rewritten\n');
    write('local/runtime.ts', 'export const changed = true;\n');

    expect(commitOf(repo)).toBe(`${git('rev-parse', '--short', 'HEAD')} + uncommitted changes`);
    expect(commitOf(path.join(repo, 'bench'))).toBe(`${git('rev-parse', '--short', 'HEAD')} + uncommitted changes`);
  });
});
