import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { readSynthInputs, type SynthInputs, type SynthInputSource } from '../../../../local/cli/synth-inputs';
import { assemblyFingerprint, writeStamp } from '../../../../local/cli/synth-stamp';

/** A project with a CDK app (cdk.json naming its folders) and a cloud assembly synthesized from it, in a temp folder. */
export interface SynthProject {
  readonly root: string;
  readonly assemblyDir: string;
  readonly source: SynthInputSource;
  write(file: string, text: string): void;
  remove(file: string): void;
}

/**
 * Makes SynthProjects in temporary folders, removed after each test: `const projects = new SynthProjects();` in a test
 * file, then `projects.create()` in a test.
 */
export class SynthProjects {
  private readonly roots: string[] = [];

  constructor() {
    afterEach(() => {
      for (const root of this.roots.splice(0)) rmSync(root, { recursive: true, force: true });
    });
  }

  /** A new empty temporary folder, removed after the test like the projects. */
  folder(prefix: string): string {
    const folder = mkdtempSync(path.join(tmpdir(), prefix));
    this.roots.push(folder);
    return folder;
  }

  /** A new project; `env` is the environment its inputs are read with. */
  create(env: NodeJS.ProcessEnv = {}): SynthProject {
    const root = this.folder('synth-reuse-');
    const write = (file: string, text: string) => {
      mkdirSync(path.dirname(path.join(root, file)), { recursive: true });
      writeFileSync(path.join(root, file), text);
    };
    write('cdk.json', JSON.stringify({ app: 'tsx bin/app.ts', watch: { include: ['bin', 'lib', 'lambdas'] }, context: { flag: true } }));
    write('package-lock.json', '{"lockfileVersion":3}');
    write('bin/app.ts', "import '../lib/stack';\n");
    write('lib/stack.ts', 'export const table = "Orders";\n');
    write('lambdas/orders/handler.ts', 'export const handler = async () => ({ statusCode: 200 });\n');
    write('docs/notes.md', 'not part of the app\n');
    const assemblyDir = path.join(root, 'cdk.out');
    write('cdk.out/manifest.json', JSON.stringify(assemblyManifest()));
    write('cdk.out/App.template.json', JSON.stringify({ Resources: {} }));
    write('cdk.out/App.assets.json', JSON.stringify({ files: { abc: { source: { path: 'asset.abc' } } } }));
    write('cdk.out/asset.abc/index.mjs', 'export const handler = async () => ({ statusCode: 200 });\n');
    const source: SynthInputSource = { root, command: ['npx', 'cdk', 'synth', '--quiet'], env, homeDir: path.join(root, 'home'), nodeVersion: 'v24.0.0' };
    return { root, assemblyDir, source, write, remove: (file) => rmSync(path.join(root, file), { recursive: true }) };
  }
}

function assemblyManifest() {
  return {
    artifacts: {
      'App.assets': { type: 'cdk:asset-manifest', properties: { file: 'App.assets.json' } },
      App: { type: 'aws:cloudformation:stack', properties: { templateFile: 'App.template.json' }, dependencies: ['App.assets'] },
    },
  };
}

/** Stamps the project's assembly as synthesized from `inputs`: by default its files as they are now, read from its `source`. */
export function stampSynthesized(p: SynthProject, inputs: SynthInputs = readSynthInputs(p.source)): void {
  const fingerprint = assemblyFingerprint(p.assemblyDir);
  if (!('fingerprint' in fingerprint)) throw new Error(fingerprint.missing);
  writeStamp(p.assemblyDir, { inputs, assembly: fingerprint.fingerprint, bundles: [] });
}
