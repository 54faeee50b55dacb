import { utimesSync } from 'node:fs';
import * as path from 'node:path';
import { synthesizeUnlessUpToDate } from '../../../../local/cli/synth-unless-up-to-date';
import { currentSynthInputs, type SynthOptions } from '../../../../local/cli/synthesize';
import { stampSynthesized, SynthProjects, type SynthProject } from './synth-project';

const projects = new SynthProjects();

/** A project whose assembly was synthesized, as `npm start` or this setup stamps it, from its files as they are now. */
function synthesizedProject(): SynthProject {
  const p = projects.create();
  stampSynthesized(p, currentSynthInputs(p.root));
  return p;
}

/** Sets a file's access and modification times to `date`. */
function setTimes(p: SynthProject, file: string, date: Date): void {
  utimesSync(path.join(p.root, file), date, date);
}

/** Runs the setup's decision on `p` with a synth that only records that it was asked for. */
async function setUp(p: SynthProject): Promise<{ synthesized: boolean; synths: SynthOptions[]; lines: string[] }> {
  const synths: SynthOptions[] = [];
  const lines: string[] = [];
  const synthesized = await synthesizeUnlessUpToDate({
    root: p.root,
    assemblyDir: p.assemblyDir,
    label: 'bench:x',
    synthesize: async (options) => {
      synths.push(options);
    },
    log: (line) => lines.push(line),
  });
  return { synthesized, synths, lines };
}

describe('synthesizeUnlessUpToDate (the e2e setup and the benchmarks)', () => {
  it('synthesizes when a source changed by content, even with a modification time older than the assembly', async () => {
    // Prepare
    const p = synthesizedProject();
    p.write('lib/stack.ts', 'export const table = "Orders2";\n');
    setTimes(p, 'lib/stack.ts', new Date('2001-01-01T00:00:00Z'));

    // Act
    const { synthesized, synths, lines } = await setUp(p);

    // Assess
    expect(synthesized).toBe(true);
    expect(synths).toEqual([{ root: p.root, assemblyDir: p.assemblyDir, output: 'inherit' }]);
    expect(lines).toEqual(['bench:x: running `cdk synth --quiet` (lib/stack.ts changed since cdk.out was synthesized)…']);
  });

  it('does not synthesize when the sources were only touched: newer modification times, the same content', async () => {
    // Prepare
    const p = synthesizedProject();
    p.write('lambdas/orders/handler.ts', 'export const handler = async () => ({ statusCode: 200 });\n');
    const future = new Date(Date.now() + 24 * 3_600_000);
    for (const file of ['bin/app.ts', 'lib/stack.ts', 'lambdas/orders/handler.ts']) setTimes(p, file, future);

    // Act
    const { synthesized, synths, lines } = await setUp(p);

    // Assess
    expect(synthesized).toBe(false);
    expect(synths).toEqual([]);
    expect(lines).toEqual([]);
  });

  it('synthesizes an assembly with no record of what it was synthesized from (one a plain `cdk synth` wrote)', async () => {
    // Prepare
    const p = projects.create();

    // Act
    const { synths, lines } = await setUp(p);

    // Assess
    expect(synths).toHaveLength(1);
    expect(lines).toEqual(['bench:x: running `cdk synth --quiet` (cdk.out has no record of what it was synthesized from)…']);
  });
});
