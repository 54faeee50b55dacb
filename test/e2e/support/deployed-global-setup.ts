/**
 * Before `npm run test:deployed` runs any file: reads the target once, so that a missing outputs file, output,
 * region or control API fails the run with one clear message instead of once per file, and says what will be skipped.
 */
import { identifyEmulator } from '../../../bin/emulator-endpoint';
import { EMULATOR_GAPS, EMULATOR_VARIABLE, unmetNeed, type Need } from './capabilities';
import { checkTarget } from './shop';
import { deployedTarget, TARGET_VARIABLE } from './shop-target';

/** Test files the deployed run leaves out (jest.deployed.config.js), and why. */
const LOCAL_ONLY_FILES = ['test/e2e/alarms.test.ts: the alarms need five-minute periods in AWS; locally the runtime scales them (npm test)'];

export default async function deployedGlobalSetup(): Promise<void> {
  process.env[TARGET_VARIABLE] = 'deployed';
  const target = deployedTarget();
  await checkTarget(target);
  // Which emulator answers at the endpoint, by what it reports, unless the run says (SHOP_EMULATOR): its known gaps
  // decide what is skipped. The files run in this process (maxWorkers 1), so they see the variable.
  let emulator = '';
  if (target.endpoint !== undefined) {
    const named = process.env[EMULATOR_VARIABLE]?.trim();
    const health = named ? undefined : await identifyEmulator(target.endpoint);
    if (health) process.env[EMULATOR_VARIABLE] = health.kind;
    emulator = `; emulator: ${health?.name ?? EMULATOR_GAPS[named ?? '']?.name ?? named} (${EMULATOR_VARIABLE}=${process.env[EMULATOR_VARIABLE]})`;
  }
  const skipped = (['controls', 'fast-retries', 'in-process-runtime', 'gateway-responses', 'kinesis-failure-handling'] as Need[])
    .map((need) => unmetNeed([need]))
    .filter((unmet) => unmet !== undefined)
    .map((unmet) => `  - tests that need ${unmet.need}: skipped (${unmet.reason})`);
  process.stdout.write(
    [
      '',
      `test:deployed → ${target.description}`,
      `  region ${target.region}; credentials: ${target.credentials ? 'fixed' : 'the default chain'}; controls: ${target.controls?.description ?? 'none'}; time scale ${target.timeScale}${emulator}`,
      `  deadlines: at least ${target.deadlines.minimumMs} ms per asynchronous result (SHOP_DEADLINE_MS), polls every ${target.deadlines.pollIntervalMs} ms (SHOP_POLL_MS), settle ${target.deadlines.settleMs} ms (SHOP_SETTLE_MS)`,
      ...skipped,
      ...LOCAL_ONLY_FILES.map((file) => `  - not run: ${file}`),
      '',
    ].join('\n'),
  );
}
