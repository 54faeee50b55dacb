import { cpSync } from 'node:fs';
import * as path from 'node:path';
import { readSynthInputs, type SynthInputSource } from '../../../../local/cli/synth-inputs';
import { reuseDecision } from '../../../../local/cli/synth-stamp';
import { stampSynthesized, SynthProjects, type SynthProject as Project } from './synth-project';

const projects = new SynthProjects();
const project = (env: NodeJS.ProcessEnv = {}): Project => projects.create(env);

function decide(p: Project, source: SynthInputSource = p.source) {
  return reuseDecision(p.assemblyDir, readSynthInputs(source), 'cdk.out');
}

describe('reuseDecision', () => {
  it('reuses an assembly synthesized from the same files, by content', () => {
    // Prepare
    const p = project();
    stampSynthesized(p);

    // Act
    const decision = decide(p);

    // Assess
    expect(decision).toMatchObject({ reuse: true, inputsHash: expect.stringMatching(/^[0-9a-f]{64}$/) });
  });

  it('reuses it when a file was written again with the same content (time stamps do not count)', () => {
    // Prepare
    const p = project();
    stampSynthesized(p);
    p.write('lambdas/orders/handler.ts', 'export const handler = async () => ({ statusCode: 200 });\n');

    // Act, Assess
    expect(decide(p).reuse).toBe(true);
  });

  it('synthesizes when one byte of a handler under lambdas/ changed, naming the file', () => {
    // Prepare
    const p = project();
    stampSynthesized(p);
    p.write('lambdas/orders/handler.ts', 'export const handler = async () => ({ statusCode: 201 });\n');

    // Act, Assess
    expect(decide(p)).toEqual({ reuse: false, reason: 'lambdas/orders/handler.ts changed since cdk.out was synthesized' });
  });

  it('synthesizes when a file of the app was deleted, naming it', () => {
    // Prepare
    const p = project();
    stampSynthesized(p);
    p.remove('lib/stack.ts');

    // Act, Assess
    expect(decide(p)).toEqual({ reuse: false, reason: 'lib/stack.ts deleted since cdk.out was synthesized' });
  });

  it('synthesizes when a file was added to the app', () => {
    // Prepare
    const p = project();
    stampSynthesized(p);
    p.write('lib/queue.ts', 'export const queue = "Orders";\n');

    // Act, Assess
    expect(decide(p)).toEqual({ reuse: false, reason: 'lib/queue.ts added since cdk.out was synthesized' });
  });

  it("synthesizes when cdk.json's context or the lock file changed", () => {
    // Prepare
    const p = project();
    stampSynthesized(p);
    p.write('cdk.json', JSON.stringify({ app: 'tsx bin/app.ts', watch: { include: ['bin', 'lib', 'lambdas'] }, context: { flag: false } }));
    p.write('package-lock.json', '{"lockfileVersion":3,"packages":{}}');

    // Act, Assess
    expect(decide(p)).toEqual({ reuse: false, reason: 'cdk.json changed, package-lock.json changed since cdk.out was synthesized' });
  });

  it('synthesizes when a CDK environment variable, the Node.js version or ~/.cdk.json changed', () => {
    // Prepare
    const p = project({ CDK_DEFAULT_REGION: 'us-east-1', HOME_PAGE: 'ignored' });
    stampSynthesized(p);
    p.write('home/.cdk.json', JSON.stringify({ context: { flag: false } }));

    // Act
    const decision = decide(p, { ...p.source, env: { CDK_DEFAULT_REGION: 'eu-west-1', HOME_PAGE: 'other' }, nodeVersion: 'v24.1.0' });

    // Assess
    expect(decision).toEqual({ reuse: false, reason: 'env CDK_DEFAULT_REGION changed, node changed, ~/.cdk.json changed since cdk.out was synthesized' });
  });

  it('synthesizes when the project was moved to another folder', () => {
    // Prepare
    const p = project();
    stampSynthesized(p);
    const moved = projects.folder('synth-reuse-moved-');
    cpSync(p.root, moved, { recursive: true });

    // Act
    const decision = reuseDecision(path.join(moved, 'cdk.out'), readSynthInputs({ ...p.source, root: moved }), 'cdk.out');

    // Assess
    expect(decision).toEqual({ reuse: false, reason: 'folder changed since cdk.out was synthesized' });
  });

  it("reuses it whatever changed outside the app's folders and build files, in dot-files or in editor backups", () => {
    // Prepare
    const p = project();
    stampSynthesized(p);
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
    stampSynthesized(rewritten);
    rewritten.write('cdk.out/App.template.json', JSON.stringify({ Resources: { Queue: { Type: 'AWS::SQS::Queue' } } }));

    // Act, Assess
    expect(decide(unstamped)).toEqual({ reuse: false, reason: 'cdk.out has no record of what it was synthesized from' });
    expect(decide(rewritten)).toEqual({ reuse: false, reason: 'cdk.out was rewritten since (by another cdk synth?)' });
  });

  it('synthesizes an assembly that lost a bundle, or that is not there', () => {
    // Prepare
    const incomplete = project();
    stampSynthesized(incomplete);
    incomplete.remove('cdk.out/asset.abc');
    const none = project();
    none.remove('cdk.out');

    // Act, Assess
    expect(decide(incomplete)).toEqual({ reuse: false, reason: 'cdk.out is incomplete: asset.abc is missing' });
    expect(decide(none)).toEqual({ reuse: false, reason: 'there is no cdk.out yet' });
  });
});
