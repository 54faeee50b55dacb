import { planRebuild, type BuildRecord, type BundleRecord } from '../../../../local/cli/bundle-rebuild';
import type { InputChanges } from '../../../../local/cli/synth-inputs';

function bundle(asset: string, sources: string[]): BundleRecord {
  return { asset, functions: [asset], argv: ['esbuild', '--bundle', sources[0]], cwd: '/project', env: {}, outputDir: '/project/cdk.out/building', sources };
}

const placeOrder = bundle('asset.place', ['lambdas/orders/place-order.ts', 'lambdas/shared/logger.ts']);
const getOrder = bundle('asset.get', ['lambdas/orders/get-order.ts', 'lambdas/shared/logger.ts']);
const record: BuildRecord = { appModules: ['bin/app.ts', 'lib/stack.ts', 'lambdas/shared/contracts.ts'], bundles: [placeOrder, getOrder] };

function changes(partial: Partial<InputChanges>): InputChanges {
  return { changed: [], added: [], deleted: [], settings: [], ...partial };
}

describe('planRebuild', () => {
  it('rebuilds only the bundle a changed handler is in', () => {
    expect(planRebuild(record, changes({ changed: ['lambdas/orders/place-order.ts'] }))).toEqual({ kind: 'bundles', bundles: [placeOrder] });
  });

  it('rebuilds every bundle a changed shared file is in', () => {
    expect(planRebuild(record, changes({ changed: ['lambdas/shared/logger.ts'] }))).toEqual({ kind: 'bundles', bundles: [placeOrder, getOrder] });
  });

  it('synthesizes when a changed file is part of the CDK app, even if bundles hold it too', () => {
    expect(planRebuild(record, changes({ changed: ['lambdas/orders/place-order.ts', 'lambdas/shared/contracts.ts'] }))).toEqual({
      kind: 'synth',
      reason: 'lambdas/shared/contracts.ts is part of the CDK app',
    });
  });

  it('synthesizes when a changed or deleted file is in no bundle the synth recorded', () => {
    expect(planRebuild(record, changes({ deleted: ['lambdas/orders/unused.ts'] }))).toEqual({
      kind: 'synth',
      reason: 'lambdas/orders/unused.ts is in no bundle the last synth recorded',
    });
  });

  it('synthesizes when a setting changed, or when the synth did not record what the app loads', () => {
    expect(planRebuild(record, changes({ changed: ['lambdas/orders/place-order.ts'], settings: ['node'] }))).toEqual({ kind: 'synth', reason: 'node changed' });
    expect(planRebuild({ bundles: [placeOrder] }, changes({ changed: ['lambdas/orders/place-order.ts'] }))).toMatchObject({ kind: 'synth' });
  });

  it('does nothing for files only added: nothing imports them yet', () => {
    expect(planRebuild(record, changes({ added: ['lambdas/orders/new-helper.ts'] }))).toEqual({ kind: 'nothing' });
  });
});
