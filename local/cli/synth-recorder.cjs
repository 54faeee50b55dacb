/**
 * Loaded with `--require` (NODE_OPTIONS) into every Node.js process of the `cdk synth` that `npm start` runs, it only
 * observes: it appends one JSON line per observation to the file LOCAL_SYNTH_RECORD names, for `synthesize.ts`.
 *
 * - `{"kind":"command", …}`: each command the process ran with `spawnSync` (how aws-cdk-lib's NodejsFunction runs
 *   its local bundling steps, `npx --no-install esbuild --bundle …` among them), with its working folder, the
 *   environment variables it set on top of the process's own, and, when it wrote an `--outfile`, the sha256 of what it
 *   wrote: what lets `npm start -- --watch` rebuild one bundle the way the synth did, without the synth.
 * - `{"kind":"modules", …}`: on exit, the files the process loaded through `require` (node_modules left out): in the
 *   CDK app's process, the app's own source files.
 *
 * Plain CommonJS, as it runs in processes that have no TypeScript loader (the CDK CLI, npx).
 */
'use strict';
const childProcess = require('node:child_process');
const { createHash } = require('node:crypto');
const { appendFileSync, readFileSync } = require('node:fs');
const path = require('node:path');

const recordFile = process.env.LOCAL_SYNTH_RECORD;

function record(entry) {
  appendFileSync(recordFile, `${JSON.stringify({ pid: process.pid, ...entry })}\n`);
}

function sha256Of(file) {
  try {
    return createHash('sha256').update(readFileSync(file)).digest('hex');
  } catch {
    return undefined;
  }
}

/** The environment variables `env` sets that this process does not have, or has with another value. */
function addedEnvironment(env) {
  const added = {};
  for (const [name, value] of Object.entries(env ?? {})) {
    if (value !== undefined && process.env[name] !== value) added[name] = value;
  }
  return added;
}

if (recordFile) {
  const spawnSync = childProcess.spawnSync;
  childProcess.spawnSync = function recordedSpawnSync(command, args, options) {
    const result = spawnSync.apply(this, arguments);
    const argv = [command, ...(Array.isArray(args) ? args : [])];
    const outfile = argv.find((arg) => typeof arg === 'string' && arg.startsWith('--outfile='));
    const cwd = (options && options.cwd) || process.cwd();
    record({
      kind: 'command',
      argv,
      cwd: path.resolve(String(cwd)),
      env: addedEnvironment(options && options.env),
      status: result.status,
      ...(outfile ? { outfileSha256: sha256Of(path.resolve(String(cwd), outfile.slice('--outfile='.length))) } : {}),
    });
    return result;
  };
  process.once('exit', () => {
    const modules = Object.keys(require.cache).filter((file) => file !== __filename && !file.split(path.sep).includes('node_modules'));
    if (modules.length > 0) record({ kind: 'modules', argv: process.argv.slice(1), modules });
  });
}
