/**
 * The command line of `npm start` (`run-local-cli.ts`): flags, and the environment variables they override; and the
 * outputs file it writes so that `npm run test:deployed` can reach the runtime like any deployment.
 */
import * as path from 'node:path';
import { type KinesisBackendName, kinesisBackendNamed, UnknownKinesisBackendError } from '../kinesis/kinesis-backend-name';

export interface CliOptions {
  /** `--help`: print HELP and exit. */
  readonly help: boolean;
  /** False with `--no-synth`: the assembly runs as it is. True: synthesized first, unless it is up to date. */
  readonly synth: boolean;
  /** `--force-synth`: synthesized first even when up to date. */
  readonly forceSynth?: true;
  /** `--watch`: built again on a change to the app's files, and swapped in without a restart. */
  readonly watch?: true;
  readonly edgePort: number;
  readonly apiPort: number;
  readonly stackName?: string;
  readonly assemblyDir: string;
  /** Absent: real time. */
  readonly timeScale?: number;
  /** `--outputs-file`: where to write the stack's outputs. Absent: `DEFAULT_OUTPUTS_FILE` in the project's folder. */
  readonly outputsFile?: string;
  /** `--kinesis` / `LOCAL_KINESIS`. Absent: the runtime's default (the in-process shard log). */
  readonly kinesis?: KinesisBackendName;
  /** `--background-concurrency` / `LOCAL_BACKGROUND_CONCURRENCY`. Absent: the runtime's default (the machine's cores). */
  readonly backgroundConcurrency?: number;
}

/** The outputs file `npm start` writes unless told otherwise: `cdk deploy --outputs-file`'s format, for this runtime. */
export const DEFAULT_OUTPUTS_FILE = 'cdk-outputs.local.json';

export const USAGE =
  'usage: npm start -- [--no-synth | --force-synth] [--watch] [--edge-port N] [--api-port N] [--stack NAME] [--assembly DIR] [--time-scale N] [--kinesis in-process|kinesis-local] [--background-concurrency N] [--outputs-file FILE] [--help]';

/** What `npm start -- --help` prints. */
export const HELP = `${USAGE}

  --no-synth        run cdk.out as it is, unchecked (default: cdk synth first, unless cdk.out is up to date: npm
                    start synthesized it from files with the same content as now, under the folders cdk.json's
                    watch.include names and cdk.json, package-lock.json…, with the same Node.js and CDK_* variables;
                    then it is reused, and says so)
  --force-synth     cdk synth even when cdk.out is up to date
  --watch           keep watching those folders: a change is built and swapped into the running runtime without a
                    restart (tables, queues and streams keep their data). A handler's edit rebuilds the bundles it is
                    in; any other change runs cdk synth. What only a restart applies (a new table…) is named.
  --edge-port N     the edge's port: AWS wire protocols, /_local/ (LOCAL_EDGE_PORT; default 4566; 0: a free port)
  --api-port N      the first REST API's port, the next APIs take the following ones (LOCAL_API_PORT; default 3000)
  --stack NAME      the stack to run, when the assembly has several
  --assembly DIR    another cloud assembly (default: cdk.out)
  --time-scale N    multiply the waits that exist only to let time pass (LOCAL_TIME_SCALE; default 1), e.g. 0.05:
                    - the template's SQS VisibilityTimeout (30 s when absent), DelaySeconds and
                      ReceiveMessageWaitTimeSeconds: rounded to whole seconds, at least 1 s unless 0, as fauxqs takes
                      nothing finer (18 s x 0.05 -> 1 s);
                    - a message's VisibilityTimeout (ChangeMessageVisibility, ReceiveMessage) and DelaySeconds
                      (SendMessage) through the edge: to the millisecond, at least 1 ms unless 0;
                    - the EventBridge, Lambda asynchronous and Kinesis event source mapping retry backoffs.
                    Never scaled: function and API timeouts, anything a handler measures, event and record ages.
  --kinesis K       which Kinesis serves the streams (LOCAL_KINESIS): in-process (default), the runtime's own shard
                    log, or kinesis-local, the kinesis-local package in a child process
  --background-concurrency N
                    most event source mapping batches in flight at once, across every SQS and Kinesis mapping
                    (LOCAL_BACKGROUND_CONCURRENCY; default: the machine's cores); 1 while the main thread lags, so
                    API requests come first. The mappings' own limits still hold
  --outputs-file F  where to write the stack's outputs, as \`cdk deploy --outputs-file\` does, for
                    \`npm run test:deployed\` (default ${DEFAULT_OUTPUTS_FILE}; removed again on Ctrl-C)
  --help            print this`;

/** A command line the CLI does not understand. */
export class UsageError extends Error {
  public constructor(message: string) {
    super(`${message}\n${USAGE}`);
    this.name = 'UsageError';
  }
}

/**
 * Reads the flags (they win over the environment).
 * @param root the project's folder: the default assembly is `${root}/cdk.out`
 */
export function parseCliOptions(argv: readonly string[], env: NodeJS.ProcessEnv, root: string): CliOptions {
  let help = false;
  let synth = true;
  let forceSynth = false;
  let watch = false;
  let edgePort = port(env.LOCAL_EDGE_PORT ?? '4566', 'LOCAL_EDGE_PORT');
  let apiPort = port(env.LOCAL_API_PORT ?? '3000', 'LOCAL_API_PORT');
  let timeScale = env.LOCAL_TIME_SCALE !== undefined && env.LOCAL_TIME_SCALE !== '' ? factor(env.LOCAL_TIME_SCALE, 'LOCAL_TIME_SCALE') : undefined;
  let stackName: string | undefined;
  let assemblyDir = path.join(root, 'cdk.out');
  let outputsFile: string | undefined;
  let backgroundConcurrency =
    env.LOCAL_BACKGROUND_CONCURRENCY !== undefined && env.LOCAL_BACKGROUND_CONCURRENCY !== ''
      ? count(env.LOCAL_BACKGROUND_CONCURRENCY, 'LOCAL_BACKGROUND_CONCURRENCY')
      : undefined;
  let kinesis = env.LOCAL_KINESIS !== undefined && env.LOCAL_KINESIS !== '' ? backend(env.LOCAL_KINESIS, 'LOCAL_KINESIS') : undefined;
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    const value = () => {
      const next = argv[++i];
      if (next === undefined) throw new UsageError(`${arg} needs a value`);
      return next;
    };
    if (arg === '--help' || arg === '-h') help = true;
    else if (arg === '--no-synth') synth = false;
    else if (arg === '--force-synth') forceSynth = true;
    else if (arg === '--watch') watch = true;
    else if (arg === '--edge-port') edgePort = port(value(), arg);
    else if (arg === '--api-port') apiPort = port(value(), arg);
    else if (arg === '--stack') stackName = value();
    else if (arg === '--assembly') assemblyDir = path.resolve(value());
    else if (arg === '--time-scale') timeScale = factor(value(), arg);
    else if (arg === '--outputs-file') outputsFile = path.resolve(value());
    else if (arg === '--kinesis') kinesis = backend(value(), arg);
    else if (arg === '--background-concurrency') backgroundConcurrency = count(value(), arg);
    else throw new UsageError(`unknown argument '${arg}'`);
  }
  if (forceSynth && !synth) throw new UsageError('--force-synth and --no-synth contradict each other: give one');
  return {
    help,
    synth,
    ...(forceSynth ? { forceSynth: true as const } : {}),
    ...(watch ? { watch: true as const } : {}),
    edgePort,
    apiPort,
    assemblyDir,
    ...(stackName ? { stackName } : {}),
    ...(timeScale !== undefined ? { timeScale } : {}),
    ...(outputsFile !== undefined ? { outputsFile } : {}),
    ...(kinesis !== undefined ? { kinesis } : {}),
    ...(backgroundConcurrency !== undefined ? { backgroundConcurrency } : {}),
  };
}

/** The outputs file's text: `{ "<StackName>": { "<OutputName>": "value" } }`, as `cdk deploy --outputs-file` writes it. */
export function outputsFileText(stackName: string, outputs: Readonly<Record<string, string>>): string {
  return `${JSON.stringify({ [stackName]: outputs }, null, 2)}\n`;
}

/** The runtime's control API (`/_local/` on the edge): what SHOP_CONTROL_URL names. */
export function controlUrlOf(edgeUrl: string): string {
  return `${edgeUrl.replace(/\/+$/, '')}/_local`;
}

/**
 * The command that runs the e2e suite against this runtime through its outputs file, as against any deployment.
 * @param outputsFile as the user should type it (relative to the project's folder when inside it)
 */
export function deployedSuiteCommand(options: { readonly outputsFile: string; readonly edgeUrl: string; readonly region: string; readonly timeScale: number }): string {
  return [
    `SHOP_OUTPUTS=${options.outputsFile}`,
    `AWS_ENDPOINT_URL=${options.edgeUrl}`,
    `SHOP_CONTROL_URL=${controlUrlOf(options.edgeUrl)}`,
    ...(options.timeScale !== 1 ? [`SHOP_TIME_SCALE=${options.timeScale}`] : []),
    `AWS_REGION=${options.region}`,
    'AWS_ACCESS_KEY_ID=test AWS_SECRET_ACCESS_KEY=test',
    'npm run test:deployed',
  ].join(' ');
}

function port(value: string, name: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0 || n > 65_535) throw new UsageError(`${name} is '${value}': give a port from 0 to 65535`);
  return n;
}

function backend(value: string, name: string): KinesisBackendName {
  try {
    return kinesisBackendNamed(value, name);
  } catch (error) {
    if (error instanceof UnknownKinesisBackendError) throw new UsageError(error.message);
    throw error;
  }
}

function count(value: string, name: string): number {
  const n = Number(value);
  if (value.trim() === '' || !Number.isInteger(n) || n < 1) throw new UsageError(`${name} is '${value}': give a whole number, 1 or more`);
  return n;
}

function factor(value: string, name: string): number {
  const n = Number(value);
  if (value.trim() === '' || !Number.isFinite(n) || n <= 0) throw new UsageError(`${name} is '${value}': give a positive number, e.g. 0.05 (20 times faster)`);
  return n;
}
