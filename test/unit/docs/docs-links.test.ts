import { existsSync, readdirSync, readFileSync } from 'node:fs';
import * as path from 'node:path';

/**
 * The README and docs/ point at files, and files move. Every relative link (resolved from the file it is in) and
 * every inline-code repo path (`lib/…`, `lambdas/…` …, read from the repository's root) must name a file or folder
 * that exists, so a newcomer's one hop from the docs lands on code, not on a 404.
 */

const ROOT = path.resolve(__dirname, '../../..');
const README_MAX_LINES = 150;

/** Inline code that starts like this is a path in the repository. */
const REPO_PATH = /^(?:lambdas|lib|local|test|bin|bench|docs)\//;
/** A placeholder (`lambdas/<service>/`), a glob (`bench/charts/*.svg`) or a command is not one path. */
const NOT_ONE_PATH = /[\s<>{}*…|$]/;

interface Reference {
  /** As written in the Markdown file. */
  readonly written: string;
  /** Relative to the repository's root. */
  readonly target: string;
  readonly line: number;
}

/** The relative links and inline-code repo paths of one Markdown file, fenced blocks left out. */
function referencesIn(markdown: string, file: string, root: string = ROOT): Reference[] {
  const references: Reference[] = [];
  const fromFile = path.dirname(path.join(root, file));
  let fenced = false;
  markdown.split('\n').forEach((text, index) => {
    if (/^\s*(```|~~~)/.test(text)) {
      fenced = !fenced;
      return;
    }
    if (fenced) return;
    const line = index + 1;
    const onLine = (reference: Reference) => {
      // [`lib/x.ts`](../lib/x.ts) names one path, not two.
      if (!references.some((seen) => seen.line === line && seen.target === reference.target)) references.push(reference);
    };
    for (const match of text.matchAll(/\[[^\]]*\]\(([^)\s]+)(?:\s+"[^"]*")?\)/g)) {
      const href = match[1];
      if (/^[a-z][a-z0-9+.-]*:/i.test(href) || href.startsWith('#')) continue;
      const bare = decodeURI(href.replace(/[#?].*$/, ''));
      onLine({ written: href, target: path.relative(root, path.resolve(fromFile, bare)), line });
    }
    for (const match of text.matchAll(/`([^`]+)`/g)) {
      const code = match[1].trim();
      if (!REPO_PATH.test(code) || NOT_ONE_PATH.test(code)) continue;
      onLine({ written: code, target: path.normalize(code).replace(/\/$/, ''), line });
    }
  });
  return references;
}

/** README.md and every Markdown file under docs/, relative to the root. */
function documentationFiles(): string[] {
  const underDocs = (dir: string): string[] =>
    readdirSync(path.join(ROOT, dir), { withFileTypes: true }).flatMap((entry) => {
      const child = path.join(dir, entry.name);
      if (entry.isDirectory()) return underDocs(child);
      return entry.name.endsWith('.md') ? [child] : [];
    });
  return ['README.md', ...(existsSync(path.join(ROOT, 'docs')) ? underDocs('docs') : [])];
}

const files = documentationFiles();
const referencesByFile = new Map(files.map((file) => [file, referencesIn(readFileSync(path.join(ROOT, file), 'utf8'), file)]));

describe('referencesIn', () => {
  it('resolves relative links from the file, reads inline code from the root, and skips the rest', () => {
    const markdown = [
      'See [the stack](../lib/hybrid-shop-stack.ts#L10), [a site](https://example.com) and [below](#routes).',
      'The handler is `lambdas/orders/handlers/place-order.ts`; per service `lambdas/<service>/handlers/`, charts `bench/charts/*.svg`.',
      'Run `npm start`, read `cdk.out`.',
      '```sh',
      'cat lib/not-checked.ts `lib/nor-this.ts` [x](nor/this.md)',
      '```',
    ].join('\n');

    const found = referencesIn(markdown, 'docs/architecture.md', '/repo');

    expect(found).toEqual([
      { written: '../lib/hybrid-shop-stack.ts#L10', target: 'lib/hybrid-shop-stack.ts', line: 1 },
      { written: 'lambdas/orders/handlers/place-order.ts', target: 'lambdas/orders/handlers/place-order.ts', line: 2 },
    ]);
  });
});

describe('the documentation', () => {
  it(`keeps the README to ${README_MAX_LINES} lines or fewer`, () => {
    const lines = readFileSync(path.join(ROOT, 'README.md'), 'utf8').trimEnd().split('\n').length;

    expect(lines).toBeLessThanOrEqual(README_MAX_LINES);
  });

  it('points only at files and folders that exist', () => {
    const missing = [...referencesByFile].flatMap(([file, references]) =>
      references.filter((reference) => !existsSync(path.join(ROOT, reference.target))).map((reference) => `${file}:${reference.line}: ${reference.written}`),
    );

    expect(missing).toEqual([]);
  });

  it('links every doc under docs/ from the README or from another doc', () => {
    const linked = new Set([...referencesByFile].flatMap(([file, references]) => references.filter((reference) => reference.target !== file).map((reference) => reference.target)));

    const orphans = files.filter((file) => file !== 'README.md' && !linked.has(file));

    expect(orphans).toEqual([]);
  });

  it('finds something to check in every doc, so a broken extraction cannot pass for clean docs', () => {
    const empty = [...referencesByFile].filter(([, references]) => references.length === 0).map(([file]) => file);

    expect(empty).toEqual([]);
  });
});
