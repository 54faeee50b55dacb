import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { App, Stack, Validations } from 'aws-cdk-lib';
import { AwsSolutionsChecks } from 'cdk-nag';

/** A handler that only answers: the entry of the functions the pattern tests bundle. */
export const HELLO = path.join(__dirname, '..', 'patterns', 'fixtures', 'hello.ts');
/** A handler that creates an AWS SDK client: the entry of a function whose bundle the tests read. */
export const SDK_CLIENT = path.join(__dirname, '..', 'patterns', 'fixtures', 'sdk-client.ts');

/**
 * Apps that synthesize (and bundle) into temporary directories of their own, removed after the suite:
 * `const apps = new TempApps('queue-worker'); afterAll(() => apps.removeAll());`.
 */
export class TempApps {
  private readonly outdirs: string[] = [];

  constructor(private readonly prefix: string) {}

  /** A new app in a new temporary directory; `withNag` registers AwsSolutionsChecks as its validation plugin. */
  create(props: { readonly withNag?: boolean } = {}): App {
    const outdir = fs.mkdtempSync(path.join(os.tmpdir(), `${this.prefix}-`));
    this.outdirs.push(outdir);
    const app = new App({ outdir });
    if (props.withNag) Validations.of(app).addPlugins(new AwsSolutionsChecks(app));
    return app;
  }

  removeAll(): void {
    for (const outdir of this.outdirs.splice(0)) fs.rmSync(outdir, { recursive: true, force: true });
  }
}

/**
 * A new stack on each call (`Invalid1`, `Invalid2`…), in an app that skips bundling: for constructs whose props are
 * invalid, which never reach synthesis.
 */
export function unbundledStacks(prefix = 'Invalid'): () => Stack {
  const app = new App({ context: { 'aws:cdk:bundling-stacks': [] } });
  let count = 0;
  return () => new Stack(app, `${prefix}${++count}`);
}
