/**
 * `npm run test:deployed`: the e2e suite against a deployed stack — LocalStack, a compatible emulator, AWS, or a
 * running `npm start` — from its outputs file (SHOP_OUTPUTS, default cdk-outputs.json). See
 * test/e2e/support/shop-target.ts for every setting.
 */
const { projects } = require('./jest.config.js');

const e2e = projects.find((project) => project.displayName === 'e2e');
// Every asynchronous result gets at least SHOP_DEADLINE_MS; a test may wait for a few in a row.
const deadlineMs = Number(process.env.SHOP_DEADLINE_MS) || 60_000;

module.exports = {
  displayName: 'deployed',
  testEnvironment: e2e.testEnvironment,
  transform: e2e.transform,
  transformIgnorePatterns: e2e.transformIgnorePatterns,
  testMatch: e2e.testMatch,
  // Local only: real alarms need their five-minute periods (the file drives the runtime's CloudWatch time scale).
  testPathIgnorePatterns: ['/node_modules/', '<rootDir>/test/e2e/alarms\\.test\\.ts$'],
  // No dummy credentials (the default chain is the point) and no `cdk synth`: the stack is deployed already.
  setupFiles: ['<rootDir>/test/e2e/support/deployed-run.ts'],
  globalSetup: '<rootDir>/test/e2e/support/deployed-global-setup.ts',
  testTimeout: Math.max(30_000, 4 * deadlineMs),
  // The files share one deployment, and some inject faults or change the payment provider: one at a time.
  maxWorkers: 1,
  verbose: true,
};
