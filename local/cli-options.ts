/** The command line of `npm start` (`local/cli.ts`): flags, and the environment variables they override. */
import * as path from 'node:path';

export interface CliOptions {
  /** `--help`: print HELP and exit. */
  readonly help: boolean;
  readonly synth: boolean;
  readonly edgePort: number;
  readonly apiPort: number;
  readonly stackName?: string;
  readonly assemblyDir: string;
  /** Absent: real time. */
  readonly timeScale?: number;
}

export const USAGE = 'usage: npm start -- [--no-synth] [--edge-port N] [--api-port N] [--stack NAME] [--assembly DIR] [--time-scale N] [--help]';

/** What `npm start -- --help` prints. */
export const HELP = `${USAGE}

  --no-synth        reuse cdk.out as it is (default: cdk synth first)
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
  let edgePort = port(env.LOCAL_EDGE_PORT ?? '4566', 'LOCAL_EDGE_PORT');
  let apiPort = port(env.LOCAL_API_PORT ?? '3000', 'LOCAL_API_PORT');
  let timeScale = env.LOCAL_TIME_SCALE !== undefined && env.LOCAL_TIME_SCALE !== '' ? factor(env.LOCAL_TIME_SCALE, 'LOCAL_TIME_SCALE') : undefined;
  let stackName: string | undefined;
  let assemblyDir = path.join(root, 'cdk.out');
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    const value = () => {
      const next = argv[++i];
      if (next === undefined) throw new UsageError(`${arg} needs a value`);
      return next;
    };
    if (arg === '--help' || arg === '-h') help = true;
    else if (arg === '--no-synth') synth = false;
    else if (arg === '--edge-port') edgePort = port(value(), arg);
    else if (arg === '--api-port') apiPort = port(value(), arg);
    else if (arg === '--stack') stackName = value();
    else if (arg === '--assembly') assemblyDir = path.resolve(value());
    else if (arg === '--time-scale') timeScale = factor(value(), arg);
    else throw new UsageError(`unknown argument '${arg}'`);
  }
  return { help, synth, edgePort, apiPort, assemblyDir, ...(stackName ? { stackName } : {}), ...(timeScale !== undefined ? { timeScale } : {}) };
}

function port(value: string, name: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0 || n > 65_535) throw new UsageError(`${name} is '${value}': give a port from 0 to 65535`);
  return n;
}

function factor(value: string, name: string): number {
  const n = Number(value);
  if (value.trim() === '' || !Number.isFinite(n) || n <= 0) throw new UsageError(`${name} is '${value}': give a positive number, e.g. 0.05 (20 times faster)`);
  return n;
}
