#!/usr/bin/env node
/**
 * The whole deployed e2e run against a LocalStack-compatible emulator, in one command: deploy the app there with the
 * plain CDK CLI, seed it, run `npm run test:deployed` against its outputs, and destroy the stack — whatever failed.
 *
 *   AWS_ENDPOINT_URL=http://127.0.0.1:4566 npm run test:emulator
 *   AWS_ENDPOINT_URL=http://127.0.0.1:4566 npm run test:emulator -- --stage e2e --keep -- --ci --json --outputFile=r.json
 *
 * Exits with the suite's status (1 when the deploy or the teardown failed). Prints each step as it starts and the
 * time each took at the end.
 */
import { rmSync } from 'node:fs';
import * as path from 'node:path';
import { readCommandLine } from './command-line';
import { seedShop } from './seed';
import { cdk, deployToEmulator, destroyArguments, reachEmulator, runProjectBin, type DeployLocalOptions } from './deploy-local';
import { emulatorEndpoint, emulatorEnvironment, emulatorRegion, type EmulatorHealth } from './emulator-endpoint';
import { readStackOutputs } from './stack-outputs';

export const USAGE = 'usage: AWS_ENDPOINT_URL=http://127.0.0.1:4566 npm run test:emulator -- [--stage NAME] [--keep] [--help] [-- <jest flags>]';

export const HELP = `${USAGE}

Deploys the app to the emulator at AWS_ENDPOINT_URL (required; never AWS), seeds it, runs the deployed e2e suite
against it and destroys the stack, whatever failed.

  --stage NAME   the stage to deploy (default ${'`emulator`'}: a stage of its own, destroyed cleanly)
  --keep         leave the stack deployed (and its outputs in cdk-outputs.emulator.json) to look at it
  -- …           anything after a second \`--\` goes to jest (e.g. --ci --json --outputFile=results.json)`;

export const OUTPUTS_FILE = 'cdk-outputs.emulator.json';
export const DEFAULT_STAGE = 'emulator';

export interface TestEmulatorOptions {
  readonly help: boolean;
  readonly endpoint: string;
  readonly region: string;
  readonly stage: string;
  readonly keep: boolean;
  readonly jestArgs: readonly string[];
}

export class TestEmulatorError extends Error {
  public constructor(message: string) {
    super(message);
    this.name = 'TestEmulatorError';
  }
}

export function parseTestEmulatorArgs(argv: readonly string[], env: NodeJS.ProcessEnv): TestEmulatorOptions {
  let keep = false;
  let stage = DEFAULT_STAGE;
  const { help, passOn: jestArgs } = readCommandLine(
    argv,
    { switches: { '--keep': () => (keep = true) }, values: { '--stage': (name) => (stage = name) } },
    (message) => new TestEmulatorError(`${message}\n${USAGE}`),
  );
  if (help) return { help, endpoint: '', region: '', stage, keep, jestArgs };
  let endpoint: string;
  try {
    endpoint = emulatorEndpoint(env.AWS_ENDPOINT_URL);
  } catch (error) {
    throw new TestEmulatorError(`${(error as Error).message}\n${USAGE}`);
  }
  const region = emulatorRegion(env);
  return { help, endpoint, region, stage, keep, jestArgs };
}

/** The environment of the deployed e2e run against the emulator. */
export function suiteEnvironment(env: NodeJS.ProcessEnv, options: TestEmulatorOptions, health: EmulatorHealth): NodeJS.ProcessEnv {
  return { ...emulatorEnvironment(env, options.endpoint, options.region), SHOP_OUTPUTS: OUTPUTS_FILE, SHOP_EMULATOR: health.kind };
}

const ROOT = path.resolve(__dirname, '..');

function jest(args: readonly string[], env: NodeJS.ProcessEnv): Promise<number> {
  return runProjectBin('jest', ['--config', 'jest.deployed.config.js', ...args], env);
}

async function main(): Promise<number> {
  const options = parseTestEmulatorArgs(process.argv.slice(2), process.env);
  if (options.help) {
    console.log(HELP);
    return 0;
  }
  const times: string[] = [];
  const timed = async <T>(step: string, work: () => Promise<T>): Promise<T> => {
    console.log(`\n── ${step} ──`);
    const started = performance.now();
    try {
      return await work();
    } finally {
      times.push(`${step} ${((performance.now() - started) / 1000).toFixed(1)} s`);
    }
  };
  const deployOptions: DeployLocalOptions = {
    help: false,
    endpoint: options.endpoint,
    endpointFromEnv: true,
    region: options.region,
    outputsFile: OUTPUTS_FILE,
    bootstrap: 'auto',
    stage: options.stage,
    deployArgs: [],
  };
  // Nothing answers: nothing was deployed, and there is nothing to tear down.
  const health = await reachEmulator(deployOptions);
  let status = 1;
  // A deploy that failed half-way may still have left a stack: from here on, the teardown runs whatever failed.
  try {
    await timed('deploy', () => deployToEmulator(deployOptions));
    const stack = readStackOutputs(path.join(ROOT, OUTPUTS_FILE));
    const env = suiteEnvironment(process.env, options, health);
    await timed('seed', async () => {
      const seeded = await seedShop({
        region: options.region,
        endpoint: options.endpoint,
        credentials: { accessKeyId: env.AWS_ACCESS_KEY_ID ?? 'test', secretAccessKey: env.AWS_SECRET_ACCESS_KEY ?? 'test' },
        productsTableName: stack.outputs.ProductsTableName,
        stockTableName: stack.outputs.StockTableName,
      });
      console.log(`✓ seeded ${seeded.products} products and ${seeded.stock} stock levels into ${stack.stackName}`);
    });
    status = await timed('e2e suite', () => jest(options.jestArgs, env));
  } catch (error) {
    console.error(`✗ test:emulator: ${error instanceof Error ? error.message : String(error)}`);
    status = 1;
  } finally {
    if (options.keep) {
      console.log(`\n▷ --keep: the stack stays; outputs in ${OUTPUTS_FILE}. Tear it down with:\n  AWS_ENDPOINT_URL=${options.endpoint} npx cdk ${destroyArguments(deployOptions).join(' ')}`);
    } else {
      try {
        await timed('destroy', () => cdk(destroyArguments(deployOptions), emulatorEnvironment(process.env, options.endpoint, options.region)));
        rmSync(path.join(ROOT, OUTPUTS_FILE), { force: true });
      } catch (error) {
        console.error(`✗ test:emulator: the teardown failed: ${error instanceof Error ? error.message : String(error)}`);
        status = 1;
      }
    }
  }
  console.log(`\ntest:emulator against ${options.endpoint}, stage ${options.stage}: ${times.join(', ')}; ${status === 0 ? 'passed' : 'FAILED'}`);
  return status;
}

if (require.main === module) {
  main().then(
    (status) => process.exit(status),
    (error: unknown) => {
      console.error(`✗ test:emulator: ${error instanceof Error ? error.message : String(error)}`);
      process.exit(1);
    },
  );
}
