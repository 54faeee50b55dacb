/** Jest projects: one per suite in DESIGN.md. `npm test` runs them all; unit tests start no process, server or runtime. */
const transform = {
  '^.+\\.(t|j)sx?$': [
    'ts-jest',
    {
      // Type errors are `npm run typecheck`'s job; with isolatedModules each file is only transpiled.
      tsconfig: { module: 'commonjs', moduleResolution: 'node10', allowJs: true, esModuleInterop: true, isolatedModules: true },
    },
  ],
};
// middy ships ES modules only; let ts-jest turn them into CommonJS for the test sandbox.
const transformIgnorePatterns = ['/node_modules/(?!(@middy)/)'];
const common = { testEnvironment: 'node', transform, transformIgnorePatterns, setupFiles: ['<rootDir>/test/setup-env.js'] };

module.exports = {
  projects: [
    // Unit tests start no process, server or worker: test/unit-environment.js refuses them.
    { ...common, displayName: 'unit', testEnvironment: '<rootDir>/test/unit-environment.js', testMatch: ['<rootDir>/test/unit/**/*.test.ts'] },
    { ...common, displayName: 'infra', testMatch: ['<rootDir>/test/infra/**/*.test.ts'] },
    // What starts a process, a server on a port, the local runtime or an emulator: slower, and needs a free machine.
    {
      ...common,
      displayName: 'integration',
      roots: ['<rootDir>/test/integration'],
      testMatch: ['<rootDir>/test/integration/**/*.test.ts'],
      // Each test bounds its own waits; 5 s is too short for kinesis-local or the runtime to start on a busy machine.
      setupFilesAfterEnv: ['<rootDir>/test/integration/test-timeout.ts'],
    },
    {
      ...common,
      displayName: 'e2e',
      testMatch: ['<rootDir>/test/e2e/**/*.test.ts'],
      // Asynchronous flows are awaited by polling with their own deadlines (up to 15 s); the test budget sits above them.
      setupFilesAfterEnv: ['<rootDir>/test/e2e/support/test-timeout.ts'],
      globalSetup: '<rootDir>/test/e2e/global-setup.ts',
    },
    // The console driven in a headless Chromium (Debian's, never a downloaded one): see bin/headless-chromium.ts.
    {
      ...common,
      displayName: 'browser',
      testMatch: ['<rootDir>/test/browser/**/*.test.ts'],
      setupFilesAfterEnv: ['<rootDir>/test/browser/support/test-timeout.ts'],
      globalSetup: '<rootDir>/test/browser/support/global-setup.ts',
    },
  ],
};
