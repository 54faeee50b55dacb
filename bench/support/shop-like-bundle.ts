import * as path from 'node:path';
import { buildSync } from 'esbuild';

const ROOT = path.resolve(__dirname, '..', '..');

/**
 * Bundles `entry` into `outfile` as `ServiceFunction` bundles the shop's functions: esbuild, minified ESM for
 * Node.js 24, the AWS SDK inside, and Lambda's credential provider in place of the SDK's default chain. For a
 * bench's baseline handler, so it weighs and runs like a function of the shop.
 */
export function bundleLikeShop(entry: string, outfile: string): void {
  buildSync({
    entryPoints: [entry],
    outfile,
    bundle: true,
    minify: true,
    platform: 'node',
    target: 'node24',
    format: 'esm',
    mainFields: ['module', 'main'],
    nodePaths: [path.join(ROOT, 'node_modules')],
    alias: { '@aws-sdk/credential-provider-node': path.join(ROOT, 'lambdas/shared/aws/credential-provider-lambda.ts') },
    banner: { js: "import { createRequire } from 'module'; const require = createRequire(import.meta.url);" },
    logLevel: 'error',
  });
}
