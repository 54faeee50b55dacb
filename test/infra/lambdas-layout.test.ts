import * as fs from 'node:fs';
import * as path from 'node:path';
import { App } from 'aws-cdk-lib';
import { HybridShopStack } from '../../lib/hybrid-shop-stack';
import { ServiceFunction } from '../../lib/patterns/service-function';
import { cdkJsonContext } from './support/cdk-json';
import { moduleGraph, typeScriptFiles } from './support/handler-sdk-calls';

/**
 * The layout of lambdas/ is a contract: `<service>/handlers/` holds exactly the entry points the stack names,
 * `<service>/adapters/` the AWS clients and stores, `<service>/domain/` the rules, which run without the AWS SDK and
 * without the environment; lib/ builds the stack from the shared contracts, never from a service's code.
 */

const ROOT = path.join(__dirname, '../..');
const repoPath = (file: string) => path.relative(ROOT, file).split(path.sep).join('/');

/** Every module specifier `file` names: static and type imports, re-exports, dynamic imports, requires. */
function specifiersIn(file: string): string[] {
  const source = fs.readFileSync(file, 'utf8');
  return [...source.matchAll(/(?:\bfrom|\bimport|\brequire\s*\(|\bimport\s*\()\s*'([^']+)'/g)].map((match) => match[1]);
}

let entries: string[];

beforeAll(() => {
  // Not bundled: the entries are read from the constructs, and nothing needs esbuild.
  const stack = new HybridShopStack(new App({ context: { ...cdkJsonContext(), 'aws:cdk:bundling-stacks': [] } }), 'Layout');
  entries = stack.node
    .findAll()
    .filter((construct): construct is ServiceFunction => construct instanceof ServiceFunction)
    .map((fn) => repoPath(fn.entry))
    .sort();
});

describe('lambdas/ layout', () => {
  it('names only files in lambdas/<service>/handlers/ as function entries', () => {
    expect(entries.length).toBeGreaterThan(0);
    expect(entries.filter((entry) => !/^lambdas\/(?!shared\/)[a-z-]+\/handlers\/[a-z-]+\.ts$/.test(entry))).toEqual([]);
  });

  it('keeps in handlers/ only the entries the stack names', () => {
    const handlerFiles = typeScriptFiles(path.join(ROOT, 'lambdas'))
      .map(repoPath)
      .filter((file) => /^lambdas\/[^/]+\/handlers\//.test(file));

    expect(handlerFiles.filter((file) => !entries.includes(file))).toEqual([]);
  });

  it('keeps the AWS SDK and the environment out of every domain module and everything it runs', () => {
    // Prepare: each domain file, and the modules of the project it imports at run time
    const domainFiles = typeScriptFiles(path.join(ROOT, 'lambdas')).filter((file) => /^lambdas\/[^/]+\/domain\//.test(repoPath(file)));
    expect(domainFiles.length).toBeGreaterThan(0);

    // Act
    const violations = domainFiles.flatMap((domainFile) =>
      moduleGraph(domainFile).flatMap((module) => {
        const via = module === domainFile ? '' : ` (through ${repoPath(module)})`;
        const sdk = specifiersIn(module).filter((specifier) => specifier.startsWith('@aws-sdk/'));
        const env = fs.readFileSync(module, 'utf8').includes('process.env') ? ['reads process.env'] : [];
        return [...sdk.map((specifier) => `imports ${specifier}`), ...env].map((what) => `${repoPath(domainFile)} ${what}${via}`);
      }),
    );

    // Assess
    expect(violations).toEqual([]);
  });

  it("lets lib/ import nothing of lambdas/ but the shared kernel, never a service's domain", () => {
    const imports = typeScriptFiles(path.join(ROOT, 'lib')).flatMap((file) =>
      specifiersIn(file)
        .filter((specifier) => specifier.startsWith('.'))
        .map((specifier) => ({ file: repoPath(file), target: repoPath(path.resolve(path.dirname(file), specifier)) }))
        .filter(({ target }) => target.startsWith('lambdas/')),
    );

    expect(imports.length).toBeGreaterThan(0);
    expect(imports.filter(({ target }) => !target.startsWith('lambdas/shared/'))).toEqual([]);
  });
});
