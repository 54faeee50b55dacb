import * as fs from 'node:fs';
import * as path from 'node:path';

/** The project's cdk.json. */
export const CDK_JSON = path.join(__dirname, '..', '..', '..', 'cdk.json');

/**
 * The context cdk.json gives the app, feature flags included. `cdk synth` passes it to the app; a test's `new App()`
 * does not read cdk.json, so a test of the deployed stack passes it itself, or it tests another template.
 */
export function cdkJsonContext(): Record<string, unknown> {
  return (JSON.parse(fs.readFileSync(CDK_JSON, 'utf8')) as { context: Record<string, unknown> }).context;
}
