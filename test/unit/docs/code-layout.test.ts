import { readdirSync, readFileSync } from 'node:fs';
import * as path from 'node:path';

/**
 * docs/architecture.md's layout rule: what ships or runs as a tool (the CDK app and operator scripts in bin/, the
 * bench, the constructs, the functions, the local runtime) never imports from test/; what scripts, the bench and the
 * tests share lives beside the scripts in bin/, and the tests import it from there.
 */

const ROOT = path.resolve(__dirname, '../../..');
const TOOL_FOLDERS = ['bin', 'bench', 'lib', 'lambdas', 'local'];
const SOURCE = /\.(?:[cm]?ts|[cm]?js)$/;

/** Every module specifier `source` names: static and type imports, re-exports, dynamic imports, requires. */
function specifiersIn(source: string): string[] {
  return [...source.matchAll(/(?:\bfrom|\bimport|\brequire\s*\(|\bimport\s*\()\s*['"]([^'"]+)['"]/g)].map((match) => match[1]);
}

/** The relative specifiers of `file` (a path from the repository's root) that resolve into test/. */
function testImportsOf(file: string, source: string): string[] {
  return specifiersIn(source).filter((specifier) => {
    if (!specifier.startsWith('.')) return false;
    const target = path.posix.normalize(path.posix.join(path.posix.dirname(file), specifier));
    return target === 'test' || target.startsWith('test/');
  });
}

function sourceFiles(folder: string): string[] {
  return readdirSync(path.join(ROOT, folder), { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile() && SOURCE.test(entry.name) && !path.relative(ROOT, entry.parentPath).split(path.sep).includes('node_modules'))
    .map((entry) => path.relative(ROOT, path.join(entry.parentPath, entry.name)).split(path.sep).join('/'));
}

describe('testImportsOf', () => {
  it('finds a relative import, type import, require or dynamic import that lands in test/', () => {
    const source = [
      "import { launchChromium } from '../../test/browser/support/ensure-chromium';",
      "import type { Page } from '../../test/support/page';",
      "const helper = require('../../test/helper');",
      "const later = await import('../../test/later');",
      "import { seedShop } from '../../bin/seed';",
      "import { chromium } from 'playwright-core';",
    ].join('\n');

    expect(testImportsOf('bench/scenarios/load.ts', source)).toEqual([
      '../../test/browser/support/ensure-chromium',
      '../../test/support/page',
      '../../test/helper',
      '../../test/later',
    ]);
  });

  it('does not take a folder merely named like test/ elsewhere for it', () => {
    expect(testImportsOf('bench/scenarios/load.ts', "import { x } from '../test/x';\nimport { y } from './test-data';")).toEqual([]);
  });
});

describe('the code that ships or runs as a tool', () => {
  it('imports nothing from test/', () => {
    // Prepare
    const files = TOOL_FOLDERS.flatMap(sourceFiles);
    expect(files).toEqual(expect.arrayContaining(['bin/console-screenshots.ts', 'bench/scenarios/load.ts']));

    // Act
    const violations = files.flatMap((file) => testImportsOf(file, readFileSync(path.join(ROOT, file), 'utf8')).map((specifier) => `${file} imports ${specifier}`));

    // Assess
    expect(violations).toEqual([]);
  });
});
