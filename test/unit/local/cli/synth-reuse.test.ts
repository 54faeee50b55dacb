import { cpSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { readSynthInputs, type SynthInputSource } from '../../../../local/cli/synth-inputs';
import { assemblyFingerprint, reuseDecision, writeStamp } from '../../../../local/cli/synth-stamp';

/** A project with a CDK app (cdk.json naming its folders) and a cloud assembly synthesized from it, in a temp folder. */
interface Project {
  readonly root: string;
  readonly assemblyDir: string;
  readonly source: SynthInputSource;
  write(file: string, text: string): void;
  remove(file: string): void;
}

const projects: string[] = [];
afterEach(() => {
  for (const root of projects.splice(0)) rmSync(root, { recursive: true, force: true });
});

function project(env: NodeJS.ProcessEnv = {}): Project {
  const root = mkdtempSync(path.join(tmpdir(), 'synth-reuse-'));
  projects.push(root);
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

function assemblyManifest() {
  return {
    artifacts: {
      'App.assets': { type: 'cdk:asset-manifest', properties: { file: 'App.assets.json' } },
      App: { type: 'aws:cloudformation:stack', properties: { templateFile: 'App.template.json' }, dependencies: ['App.assets'] },
    },
  };
}

/** Stamps the project's assembly as synthesized from its files as they are now. */
function synthesized(p: Project): void {
  const fingerprint = assemblyFingerprint(p.assemblyDir);
  if (!('fingerprint' in fingerprint)) throw new Error(fingerprint.missing);
  writeStamp(p.assemblyDir, { inputs: readSynthInputs(p.source), assembly: fingerprint.fingerprint, bundles: [] });
}

function decide(p: Project, source: SynthInputSource = p.source) {
  return reuseDecision(p.assemblyDir, readSynthInputs(source), 'cdk.out');
}

describe('reuseDecision', () => {
  it('reuses an assembly synthesized from the same files, by content', () => {
    // Prepare
    const p = project();
    synthesized(p);

    // Act
    const decision = decide(p);

    // Assess
    expect(decision).toMatchObject({ reuse: true, inputsHash: expect.stringMatching(/^[0-9a-f]{64}$/) });
  });

  it('reuses it when a file was written again with the same content (time stamps do not count)', () => {
    // Prepare
    const p = project();
    synthesized(p);
    p.write('lambdas/orders/handler.ts', 'export const handler = async () => ({ statusCode: 200 });\n');

    // Act, Assess
    expect(decide(p).reuse).toBe(true);
  });

  it('synthesizes when one byte of a handler under lambdas/ changed, naming the file', () => {
    // Prepare
    const p = project();
    synthesized(p);
    p.write('lambdas/orders/handler.ts', 'export const handler = async () => ({ statusCode: 201 });\n');

    // Act, Assess
    expect(decide(p)).toEqual({ reuse: false, reason: 'lambdas/orders/handler.ts changed since cdk.out was synthesized' });
  });

  it('synthesizes when a file of the app was deleted, naming it', () => {
    // Prepare
    const p = project();
    synthesized(p);
    p.remove('lib/stack.ts');

    // Act, Assess
    expect(decide(p)).toEqual({ reuse: false, reason: 'lib/stack.ts deleted since cdk.out was synthesized' });
  });

  it('synthesizes when a file was added to the app', () => {
    // Prepare
    const p = project();
    synthesized(p);
    p.write('lib/queue.ts', 'export const queue = "Orders";\n');

    // Act, Assess
    expect(decide(p)).toEqual({ reuse: false, reason: 'lib/queue.ts added since cdk.out was synthesized' });
  });

  it("synthesizes when cdk.json's context or the lock file changed", () => {
    // Prepare
    const p = project();
    synthesized(p);
    p.write('cdk.json', JSON.stringify({ app: 'tsx bin/app.ts', watch: { include: ['bin', 'lib', 'lambdas'] }, context: { flag: false } }));
    p.write('package-lock.json', '{"lockfileVersion":3,"packages":{}}');

    // Act, Assess
    expect(decide(p)).toEqual({ reuse: false, reason: 'cdk.json changed, package-lock.json changed since cdk.out was synthesized' });
  });

  it('synthesizes when a CDK environment variable, the Node.js version or ~/.cdk.json changed', () => {
    // Prepare
    const p = project({ CDK_DEFAULT_REGION: 'us-east-1', HOME_PAGE: 'ignored' });
    synthesized(p);
    p.write('home/.cdk.json', JSON.stringify({ context: { flag: false } }));

    // Act
    const decision = decide(p, { ...p.source, env: { CDK_DEFAULT_REGION: 'eu-west-1', HOME_PAGE: 'other' }, nodeVersion: 'v24.1.0' });

    // Assess
    expect(decision).toEqual({ reuse: false, reason: 'env CDK_DEFAULT_REGION changed, node changed, ~/.cdk.json changed since cdk.out was synthesized' });
  });

  it('synthesizes when the project was moved to another folder', () => {
    // Prepare
    const p = project();
    synthesized(p);
    const moved = mkdtempSync(path.join(tmpdir(), 'synth-reuse-moved-'));
    projects.push(moved);
    cpSync(p.root, moved, { recursive: true });

    // Act
    const decision = reuseDecision(path.join(moved, 'cdk.out'), readSynthInputs({ ...p.source, root: moved }), 'cdk.out');

    // Assess
    expect(decision).toEqual({ reuse: false, reason: 'folder changed since cdk.out was synthesized' });
  });

  it("reuses it whatever changed outside the app's folders and build files, in dot-files or in editor backups", () => {
    // Prepare
    const p = project();
    synthesized(p);
    p.write('docs/notes.md', 'rewritten\n');
    p.write('lambdas/orders/.handler.ts.swp', 'vim');
    p.write('lambdas/orders/handler.ts~', 'backup');

    // Act, Assess
    expect(decide(p).reuse).toBe(true);
  });

  it('synthesizes an assembly npm start did not stamp, or that another synth rewrote since', () => {
    // Prepare
    const unstamped = project();
    const rewritten = project();
    synthesized(rewritten);
    rewritten.write('cdk.out/App.template.json', JSON.stringify({ Resources: { Queue: { Type: 'AWS::SQS::Queue' } } }));

    // Act, Assess
    expect(decide(unstamped)).toEqual({ reuse: false, reason: 'cdk.out has no record of what it was synthesized from' });
    expect(decide(rewritten)).toEqual({ reuse: false, reason: 'cdk.out was rewritten since (by another cdk synth?)' });
  });

  it('synthesizes an assembly that lost a bundle, or that is not there', () => {
    // Prepare
    const incomplete = project();
    synthesized(incomplete);
    incomplete.remove('cdk.out/asset.abc');
    const none = project();
    none.remove('cdk.out');

    // Act, Assess
    expect(decide(incomplete)).toEqual({ reuse: false, reason: 'cdk.out is incomplete: asset.abc is missing' });
    expect(decide(none)).toEqual({ reuse: false, reason: 'there is no cdk.out yet' });
  });
});
