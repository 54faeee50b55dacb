/**
 * The unit project's test environment: Node's, except that starting a server, a child process or a worker thread
 * throws. Unit tests start none (docs/testing.md); whatever needs one belongs in test/integration/.
 *
 * The guard lives in the environment, not in a setup file, because Node's built-in modules are shared by every test
 * file a Jest worker runs: the environment's teardown puts them back even when the test file failed to load, so an
 * integration test that runs next in the same worker is never refused.
 */
const net = require('node:net');
const childProcess = require('node:child_process');
const workerThreads = require('node:worker_threads');
const path = require('node:path');
const NodeEnvironment = require('jest-environment-node').TestEnvironment;

/** What is refused: [owner, property, what to call it in the message]. */
const GUARDED = [
  [net.Server.prototype, 'listen', 'a server listening on a port (net.Server#listen)'],
  ...['spawn', 'spawnSync', 'fork', 'exec', 'execSync', 'execFile', 'execFileSync'].map((name) => [
    childProcess,
    name,
    `a child process (child_process.${name})`,
  ]),
  [workerThreads, 'Worker', 'a worker thread (worker_threads.Worker)'],
];

class UnitTestEnvironment extends NodeEnvironment {
  constructor(config, context) {
    super(config, context);
    this.testFile = path.relative(config.projectConfig.rootDir, context.testPath);
    this.originals = [];
    this.refusals = [];
  }

  async setup() {
    await super.setup();
    for (const [owner, name, what] of GUARDED) {
      const original = owner[name];
      this.originals.push([owner, name, original]);
      const testFile = this.testFile;
      const refusals = this.refusals;
      owner[name] = function refused() {
        const error = new Error(
          `${testFile} starts ${what}. Unit tests start no process, server or worker: ` +
            'move this test to the same place under test/integration/ (see docs/testing.md).',
        );
        refusals.push(error);
        throw error;
      };
    }
  }

  /** A refusal the code under test caught and swallowed still fails the test it happened in. */
  handleTestEvent(event) {
    if (event.name === 'test_done' && this.refusals.length > 0) {
      const reported = new Set(event.test.errors.map((entry) => (Array.isArray(entry) ? entry[0] : entry)));
      event.test.errors.push(...this.refusals.splice(0).filter((error) => !reported.has(error)));
    }
  }

  async teardown() {
    for (const [owner, name, original] of this.originals.reverse()) owner[name] = original;
    this.originals = [];
    await super.teardown();
  }
}

module.exports = UnitTestEnvironment;
