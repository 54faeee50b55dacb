/**
 * Kinesis for the local runtime: kinesis-local (kinesis-mock, a Scala.js build) in a child process on 127.0.0.1,
 * spoken to over plain HTTP on its second port (its first one is TLS only).
 *
 * kinesis-local has no setting for the interface it listens on (kinesis-mock hardcodes 0.0.0.0, i.e. every
 * interface): it is started through a bootstrap (`kinesis-local-bootstrap.cjs`) that makes the child's servers
 * listen on 127.0.0.1 only.
 *
 * kinesis-local ignores SIGTERM, so `stop()` kills it with SIGKILL. It must never outlive the runtime: the bootstrap
 * also exits when its IPC channel to this process closes, which happens however this process ends (even killed with
 * SIGKILL), and it is killed on this process's `exit` too.
 *
 * Stream operations complete at once (every `*_DURATION` is 0 ms) instead of after kinesis-mock's default 500 ms.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { request } from 'node:http';
import { createServer } from 'node:net';
import * as path from 'node:path';

export interface LocalKinesis {
  /** kinesis-local's plain-HTTP endpoint (`http://127.0.0.1:{port}`); clients use the edge instead. */
  readonly endpoint: string;
  /** The child process's id. */
  readonly pid: number;
  /** CPU time (user + system, ms) the child process has used, read from /proc; undefined where there is none (not Linux). */
  cpuMs(): number | undefined;
  stop(): Promise<void>;
}

/** Clock ticks per second of /proc's CPU times: USER_HZ, 100 on Linux whatever the kernel's own tick rate. */
const USER_HZ = 100;

/** CPU time (ms) of process `pid`, every thread of it (not its children), from /proc/{pid}/stat; undefined without /proc. */
export function processCpuMs(pid: number): number | undefined {
  let stat: string;
  try {
    stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  } catch {
    return undefined;
  }
  // The command name (field 2) is in parentheses and may hold spaces: count fields after its closing one.
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  // Fields 14 and 15 of stat(5) (utime, stime) are indexes 11 and 12 here: field 3 (state) is fields[0].
  const ticks = Number(fields[11]) + Number(fields[12]);
  return Number.isFinite(ticks) ? (ticks * 1000) / USER_HZ : undefined;
}

/** kinesis-local did not start. */
export class KinesisStartError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'KinesisStartError';
  }
}

const PACKAGE_DIR = path.dirname(require.resolve('kinesis-local/package.json'));
/** Runs kinesis-local in the child, listening on 127.0.0.1 only, and ends the child when its parent (the runtime) is gone. */
const BOOTSTRAP = path.join(__dirname, 'kinesis-local-bootstrap.cjs');
const DURATIONS = [
  'CREATE_STREAM_DURATION',
  'DELETE_STREAM_DURATION',
  'REGISTER_STREAM_CONSUMER_DURATION',
  'DEREGISTER_STREAM_CONSUMER_DURATION',
  'START_STREAM_ENCRYPTION_DURATION',
  'STOP_STREAM_ENCRYPTION_DURATION',
  'MERGE_SHARDS_DURATION',
  'SPLIT_SHARD_DURATION',
  'UPDATE_SHARD_COUNT_DURATION',
  'UPDATE_STREAM_MODE_DURATION',
];
const START_TIMEOUT_MS = 20_000;
const READY_POLL_MS = 25;
const ATTEMPTS = 3;
/** Lines of output kept to explain a failed start. */
const OUTPUT_TAIL = 20;

/**
 * Starts kinesis-local.
 * @param options.accountId the account of its streams (their ARNs). @default '000000000000'
 * @param options.region the region of its streams. @default 'us-east-1'
 */
export async function startKinesis(options: { readonly accountId?: string; readonly region?: string } = {}): Promise<LocalKinesis> {
  let lastError: Error | undefined;
  // The ports are free when chosen but could be taken before kinesis-local binds them: try again with others.
  for (let attempt = 0; attempt < ATTEMPTS; attempt++) {
    try {
      return await startOnce(options);
    } catch (error) {
      lastError = error as Error;
    }
  }
  throw lastError ?? new KinesisStartError('kinesis-local did not start');
}

async function startOnce(options: { readonly accountId?: string; readonly region?: string }): Promise<LocalKinesis> {
  const [tlsPort, plainPort] = await freePorts(2);
  const child = spawn(process.execPath, [BOOTSTRAP, path.join(PACKAGE_DIR, 'main.js')], {
    env: {
      ...process.env,
      KINESIS_MOCK_CERT_PATH: path.join(PACKAGE_DIR, 'server.json'),
      KINESIS_MOCK_TLS_PORT: String(tlsPort),
      KINESIS_MOCK_PLAIN_PORT: String(plainPort),
      AWS_ACCOUNT_ID: options.accountId ?? '000000000000',
      AWS_REGION: options.region ?? 'us-east-1',
      LOG_LEVEL: 'WARN',
      ...Object.fromEntries(DURATIONS.map((name) => [name, '0ms'])),
    },
    stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
  });
  const output: string[] = [];
  const keep = (chunk: Buffer) => {
    output.push(...chunk.toString('utf8').split('\n').filter((line) => line.trim() !== ''));
    output.splice(0, Math.max(0, output.length - OUTPUT_TAIL));
  };
  child.stdout?.on('data', keep);
  child.stderr?.on('data', keep);
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const killOnExit = () => child.kill('SIGKILL');
  process.once('exit', killOnExit);

  const kill = async () => {
    process.off('exit', killOnExit);
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    await exited;
  };

  const endpoint = `http://127.0.0.1:${plainPort}`;
  try {
    await waitUntilReady(endpoint, child);
  } catch (error) {
    await kill();
    const tail = output.length > 0 ? `\n${output.join('\n')}` : '';
    throw new KinesisStartError(`${(error as Error).message}${tail}`);
  }
  let stopped: Promise<void> | undefined;
  return {
    endpoint,
    pid: child.pid ?? 0,
    cpuMs: () => (child.pid === undefined ? undefined : processCpuMs(child.pid)),
    stop: () => {
      stopped ??= kill();
      return stopped;
    },
  };
}

/** Polls ListStreams until kinesis-local answers, it exits, or START_TIMEOUT_MS passes. */
async function waitUntilReady(endpoint: string, child: ChildProcess): Promise<void> {
  const deadline = Date.now() + START_TIMEOUT_MS;
  for (;;) {
    if (child.exitCode !== null || child.signalCode !== null) throw new Error(`kinesis-local exited while starting (${child.signalCode ?? `code ${child.exitCode}`})`);
    if (await answers(endpoint)) return;
    if (Date.now() > deadline) throw new Error(`kinesis-local did not answer within ${START_TIMEOUT_MS} ms`);
    await new Promise((resolve) => setTimeout(resolve, READY_POLL_MS));
  }
}

function answers(endpoint: string): Promise<boolean> {
  return new Promise((resolve) => {
    const url = new URL(endpoint);
    const body = '{}';
    const outgoing = request(
      {
        hostname: url.hostname,
        port: url.port,
        method: 'POST',
        path: '/',
        headers: {
          'content-type': 'application/x-amz-json-1.1',
          'x-amz-target': 'Kinesis_20131202.ListStreams',
          // kinesis-local refuses unsigned requests; it never checks the signature.
          authorization: 'AWS4-HMAC-SHA256 Credential=local/20000101/us-east-1/kinesis/aws4_request, SignedHeaders=host;x-amz-date, Signature=local',
          'x-amz-date': '20000101T000000Z',
          'content-length': body.length,
          connection: 'close',
        },
      },
      (response) => {
        response.resume();
        response.on('end', () => resolve(response.statusCode === 200));
      },
    );
    outgoing.on('error', () => resolve(false));
    outgoing.end(body);
  });
}

/** `count` ports that are free on 127.0.0.1 right now. */
async function freePorts(count: number): Promise<number[]> {
  const servers = await Promise.all(
    Array.from({ length: count }, () => {
      const server = createServer();
      return new Promise<ReturnType<typeof createServer>>((resolve, reject) => {
        server.once('error', reject);
        server.listen(0, '127.0.0.1', () => resolve(server));
      });
    }),
  );
  const ports = servers.map((server) => {
    const address = server.address();
    return typeof address === 'object' && address !== null ? address.port : 0;
  });
  await Promise.all(servers.map((server) => new Promise((resolve) => server.close(resolve))));
  return ports;
}
