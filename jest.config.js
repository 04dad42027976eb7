// One runner for every suite, so CI can sum one result. Unit and integration tests run in
// parallel (each integration file clones its own database); browser tests run serially.
const { readFileSync } = require('node:fs');
const { availableParallelism, loadavg } = require('node:os');
const swc = JSON.parse(readFileSync(`${__dirname}/.swcrc`, 'utf8'));
delete swc.$schema;
const { compilerOptions } = require('./tsconfig.base.json');

const moduleNameMapper = Object.fromEntries(
  Object.entries(compilerOptions.paths).map(([alias, [target]]) => [`^${alias.replace('/', '\\/')}$`, `<rootDir>/${target}`]),
);
const transform = { '^.+\\.(t|j)sx?$': ['@swc/jest', { ...swc, jsc: { ...swc.jsc, baseUrl: __dirname }, sourceMaps: 'inline' }] };
// A few ESM-only leaf packages are compiled to CommonJS for Jest (Node 20 cannot require ESM there).
const transformIgnorePatterns = ['^(?!.*/node_modules/(content-disposition|jose|marked|openid-client|oauth4webapi)/).*/node_modules/'];
// tmp/ holds builds (the server compiled for one `npm test` run): never a module a test loads.
const modulePathIgnorePatterns = ['<rootDir>/tmp/'];
// Every timeout (config, jest.setTimeout, a spec's own) is multiplied by this factor
// (tools/test/environment.cjs): twice, up to four times on a machine already busy when the run
// starts, or TEST_TIME_SCALE. So a loaded machine slows the suite without failing it, and a real
// hang still fails in bounded time.
const timeScale = Number(process.env['TEST_TIME_SCALE']) || Math.min(4, Math.max(2, loadavg()[0] / availableParallelism()));
const testEnvironment = '<rootDir>/tools/test/environment.cjs';
const common = { rootDir: __dirname, transform, transformIgnorePatterns, moduleNameMapper, modulePathIgnorePatterns, testEnvironment, testEnvironmentOptions: { timeScale }, setupFiles: ['reflect-metadata'] };

module.exports = {
  // Slowest files first, timed or (on a fresh clone) estimated from what they start.
  testSequencer: '<rootDir>/tools/test/sequencer.cjs',
  // Integration tests start servers and processes on a shared 2-core machine: 5 s is too tight.
  testTimeout: 30_000,
  projects: [
    {
      ...common,
      displayName: 'server',
      testMatch: ['<rootDir>/libs/**/*.spec.ts', '<rootDir>/apps/api/**/*.spec.ts', '<rootDir>/apps/worker/**/*.spec.ts', '<rootDir>/tools/**/*.spec.ts'],
      globalSetup: '<rootDir>/libs/server/db/src/testing/global-setup.ts',
    },
    {
      ...common,
      displayName: 'browser',
      // A browser journey is many round trips; the slowest CI machine still needs headroom.
      setupFilesAfterEnv: ['<rootDir>/apps/web-e2e/src/support/jest.setup.ts'],
      testMatch: ['<rootDir>/apps/web-e2e/**/*.e2e.ts'],
    },
  ],
};
