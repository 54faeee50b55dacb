import { spawn, type ChildProcess } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { DynamoDBClient, GetItemCommand, PutItemCommand } from '@aws-sdk/client-dynamodb';
import { ReceiveMessageCommand, SendMessageCommand, SQSClient } from '@aws-sdk/client-sqs';

/**
 * `npm start -- --watch` on a small CDK app (fixtures/watch-app, copied to a temp folder): a handler edit is served
 * within EDIT_TO_SERVED_MS of the save, a broken edit keeps the previous version serving, a change under lib/ is
 * synthesized and swapped in, and the table's items and the queue's messages written before stay.
 */

const REPO = path.resolve(__dirname, '../../../..');
const FIXTURE = path.join(__dirname, 'fixtures', 'watch-app');
const RUNNER = path.join(__dirname, 'fixtures', 'run-watch-app.ts');
/** The inner loop's promise: a handler's edit answers the next request within 3 s of the save. */
const EDIT_TO_SERVED_MS = 3_000;
/** A whole `cdk synth` of the fixture, then the runtime's start (or a reload): slow on a busy machine, never asserted. */
const SYNTH_MS = 150_000;

jest.setTimeout(6 * 60_000);

/** The CLI in a child process, its output kept. */
class LocalCli {
  private readonly lines: string[] = [];
  private readonly exited: Promise<void>;

  public constructor(private readonly child: ChildProcess) {
    let partial = '';
    const take = (chunk: Buffer) => {
      partial += chunk.toString('utf8');
      const complete = partial.split('\n');
      partial = complete.pop() ?? '';
      this.lines.push(...complete);
    };
    child.stdout?.on('data', take);
    child.stderr?.on('data', take);
    this.exited = new Promise((resolve) => child.once('exit', () => resolve()));
  }

  public get output(): string {
    return this.lines.join('\n');
  }

  /** The first line from `from` on that matches, once printed. */
  public async line(pattern: RegExp, timeoutMs: number, from = 0): Promise<string> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const found = this.lines.slice(from).find((line) => pattern.test(line));
      if (found !== undefined) return found;
      if (this.child.exitCode !== null) throw new Error(`the CLI exited (${this.child.exitCode}) before printing ${pattern}:\n${this.output}`);
      if (Date.now() > deadline) throw new Error(`no line matched ${pattern} within ${timeoutMs} ms:\n${this.output}`);
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  }

  public get lineCount(): number {
    return this.lines.length;
  }

  public async stop(): Promise<void> {
    if (this.child.exitCode === null) this.child.kill('SIGTERM');
    await this.exited;
  }
}

/** Polls `probe` every 50 ms until it returns true; resolves with the milliseconds since `since`, or throws past the deadline. */
async function eventually(probe: () => Promise<boolean>, since: number, deadlineMs: number, what: string): Promise<number> {
  for (;;) {
    if (await probe()) return Math.round(performance.now() - since);
    if (performance.now() - since > deadlineMs) throw new Error(`${what} not within ${deadlineMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

describe('npm start -- --watch', () => {
  let root: string;
  let cli: LocalCli;
  let outputs: Record<string, string>;
  let dynamodb: DynamoDBClient;
  let sqs: SQSClient;

  const hello = async (): Promise<{ version?: string; greeting?: string }> => {
    const response = await fetch(new URL('hello', outputs.ApiUrl));
    return response.ok ? ((await response.json()) as { version?: string; greeting?: string }) : {};
  };
  const edit = (file: string, from: string, to: string) => {
    const full = path.join(root, file);
    const text = readFileSync(full, 'utf8');
    if (!text.includes(from)) throw new Error(`${file} has no '${from}'`);
    writeFileSync(full, text.replace(from, to));
  };

  beforeAll(async () => {
    root = mkdtempSync(path.join(tmpdir(), 'watch-app-'));
    cpSync(FIXTURE, root, { recursive: true });
    symlinkSync(path.join(REPO, 'node_modules'), path.join(root, 'node_modules'), 'dir');
    const outputsFile = path.join(root, 'outputs.json');
    const child = spawn(path.join(REPO, 'node_modules', '.bin', 'tsx'), [RUNNER, '--watch', '--edge-port', '0', '--api-port', '0', '--outputs-file', outputsFile], {
      cwd: root,
      env: { ...process.env, WATCH_APP_ROOT: root, PATH: `${path.join(REPO, 'node_modules', '.bin')}${path.delimiter}${process.env.PATH ?? ''}` },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    cli = new LocalCli(child);
    await cli.line(/^👀 watching bin\/, lib\/ and lambdas\//, 2 * SYNTH_MS);
    outputs = (JSON.parse(readFileSync(outputsFile, 'utf8')) as Record<string, Record<string, string>>).WatchFixture;
    const edgeUrl = (await cli.line(/^ {2}edge {10}http/, 0)).trim().split(/\s+/)[1];
    const client = { endpoint: edgeUrl, region: 'us-east-1', credentials: { accessKeyId: 'test', secretAccessKey: 'test' } };
    dynamodb = new DynamoDBClient(client);
    sqs = new SQSClient(client);
  });

  afterAll(async () => {
    dynamodb?.destroy();
    sqs?.destroy();
    await cli?.stop();
    if (root) rmSync(root, { recursive: true, force: true });
  });

  it('serves a handler edit within 3 s of the save, keeping the items and messages written before', async () => {
    // Prepare
    expect(await hello()).toEqual({ version: 'one', greeting: 'hello' });
    await dynamodb.send(new PutItemCommand({ TableName: outputs.TableName, Item: { id: { S: 'before-edit' } } }));
    await sqs.send(new SendMessageCommand({ QueueUrl: outputs.QueueUrl, MessageBody: 'queued before the edit' }));
    const from = cli.lineCount;

    // Act
    const saved = performance.now();
    edit('lambdas/hello.ts', "version: 'one'", "version: 'two'");
    const servedAfterMs = await eventually(async () => (await hello()).version === 'two', saved, EDIT_TO_SERVED_MS, "the edited handler's answer");

    // Assess
    console.log(`edit → new behaviour served in ${servedAfterMs} ms`);
    expect(await cli.line(/^↻ lambdas\/hello\.ts changed: rebuilt 1 bundle in [\d.]+ s; new code for Hello/, 5_000, from)).toBeDefined();
    const item = await dynamodb.send(new GetItemCommand({ TableName: outputs.TableName, Key: { id: { S: 'before-edit' } } }));
    expect(item.Item).toEqual({ id: { S: 'before-edit' } });
    const received = await sqs.send(new ReceiveMessageCommand({ QueueUrl: outputs.QueueUrl, MaxNumberOfMessages: 10, VisibilityTimeout: 0 }));
    expect(received.Messages?.map((message) => message.Body)).toEqual(['queued before the edit']);
  });

  it('keeps serving the previous version when an edit does not build, and serves the fix', async () => {
    // Prepare
    const from = cli.lineCount;

    // Act
    edit('lambdas/hello.ts', "version: 'two'", "version: 'three',,");
    const failure = await cli.line(/^✗ lambdas\/hello\.ts changed: the build failed/, SYNTH_MS, from);
    const meanwhile = await hello();
    edit('lambdas/hello.ts', "version: 'three',,", "version: 'three'");
    await eventually(async () => (await hello()).version === 'three', performance.now(), SYNTH_MS, 'the fixed handler');

    // Assess
    expect(failure).toContain('still serving the previous version');
    expect(meanwhile.version).toBe('two');
  });

  it('synthesizes a change under lib/, swaps in the new configuration and names the new queue as needing a restart', async () => {
    // Prepare
    const from = cli.lineCount;

    // Act
    edit('lib/watch-fixture-stack.ts', "GREETING: 'hello'", "GREETING: 'bonjour'");
    edit('lib/watch-fixture-stack.ts', "const queue = new sqs.Queue(this, 'Jobs');", "const queue = new sqs.Queue(this, 'Jobs');\n    new sqs.Queue(this, 'MoreJobs');");
    await eventually(async () => (await hello()).greeting === 'bonjour', performance.now(), SYNTH_MS, 'the new environment');

    // Assess
    const reloaded = await cli.line(/^↻ lib\/watch-fixture-stack\.ts changed: cdk synth/, 5_000, from);
    expect(reloaded).toContain('new configuration of Hello (environment)');
    expect(await cli.line(/^ {2}! needs a restart to take effect: /, 5_000, from)).toMatch(/AWS::SQS::Queue MoreJobs[0-9A-F]{8} added$/);
    expect(await hello()).toEqual({ version: 'three', greeting: 'bonjour' });
    const item = await dynamodb.send(new GetItemCommand({ TableName: outputs.TableName, Key: { id: { S: 'before-edit' } } }));
    expect(item.Item).toEqual({ id: { S: 'before-edit' } });
    const received = await sqs.send(new ReceiveMessageCommand({ QueueUrl: outputs.QueueUrl, MaxNumberOfMessages: 10, VisibilityTimeout: 0 }));
    expect(received.Messages?.map((message) => message.Body)).toEqual(['queued before the edit']);
  });
});
