import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { App, Stack, Validations } from 'aws-cdk-lib';
import type * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as cloudwatchActions from 'aws-cdk-lib/aws-cloudwatch-actions';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as sns from 'aws-cdk-lib/aws-sns';
import { AwsSolutionsChecks } from 'cdk-nag';

/** A handler that only answers: the entry of the functions the pattern tests bundle. */
export const HELLO = path.join(__dirname, '..', 'patterns', 'fixtures', 'hello.ts');
/** A handler that creates an AWS SDK client: the entry of a function whose bundle the tests read. */
export const SDK_CLIENT = path.join(__dirname, '..', 'patterns', 'fixtures', 'sdk-client.ts');

/** What a pattern test builds its constructs in, beside them: where their alarms may go and a role to grant to. */
export interface TestStack {
  readonly app: App;
  readonly stack: Stack;
  /** The topic `Alarms`: the test's own, not part of any pattern (leave it out of cdk-nag's findings). */
  readonly topic: sns.Topic;
  /** Notifies `topic`: the `alarmAction` a test gives the constructs whose alarm actions it checks. */
  readonly alarmAction: cloudwatch.IAlarmAction;
  /** The role `Producer`, assumed by Lambda, for a test to grant to (`grantSend(producer)`…). */
  readonly producer: iam.Role;
}

/**
 * Apps that synthesize (and bundle) into temporary directories of their own, removed after the suite (or the describe
 * block) that creates the TempApps: `const apps = new TempApps('queue-worker');`.
 */
export class TempApps {
  private readonly outdirs: string[] = [];

  constructor(private readonly prefix: string) {
    afterAll(() => this.removeAll());
  }

  /** A new app in a new temporary directory; `withNag` registers AwsSolutionsChecks as its validation plugin. */
  create(props: { readonly withNag?: boolean } = {}): App {
    const outdir = fs.mkdtempSync(path.join(os.tmpdir(), `${this.prefix}-`));
    this.outdirs.push(outdir);
    const app = new App({ outdir });
    if (props.withNag) Validations.of(app).addPlugins(new AwsSolutionsChecks(app));
    return app;
  }

  /** A stack `id` in a new app (as `create` makes it), with the alarm topic and the role a pattern test uses. */
  createStack(id: string): TestStack {
    const app = this.create();
    const stack = new Stack(app, id);
    const topic = new sns.Topic(stack, 'Alarms');
    const producer = new iam.Role(stack, 'Producer', { assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com') });
    return { app, stack, topic, alarmAction: new cloudwatchActions.SnsAction(topic), producer };
  }

  private removeAll(): void {
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
