// @ts-check
/**
 * One Jest run, seven projects. `npm test` selects every project but faults and images (which
 * need podman and a registry); `npm run test:faults` and `npm run test:images` run those in band. Jest runs the TypeScript as native ES modules (node's
 * --experimental-vm-modules, set by the npm scripts), as the product runs: @swc/jest strips the
 * types and keeps `import` and `import.meta` as they are; `npm run typecheck` checks the types.
 */

/** @type {import('jest').Config} */
const shared = {
  extensionsToTreatAsEsm: ['.ts'],
  transform: { '^.+\\.ts$': ['@swc/jest', { jsc: { parser: { syntax: 'typescript' }, target: 'es2023' } }] },
  // Sources import their siblings as ./name.js, which is ./name.ts before compilation; the
  // services import the shared package by name, which tests take from source.
  moduleNameMapper: {
    '^@taskoverflow/shared$': '<rootDir>/containers/shared/src/index.ts',
    '^(\\.{1,2}/.*)\\.js$': '$1',
  },
  moduleFileExtensions: ['js', 'ts', 'mjs', 'cjs', 'json'],
  setupFiles: ['<rootDir>/test/setup-env.ts'],
  setupFilesAfterEnv: ['<rootDir>/test/setup-timeout.ts'],
  testEnvironment: 'node',
}

/**
 * A project's tests and hooks get `testTimeout` ms each. jest-circus reads only the global
 * testTimeout, so the project's value travels in `globals` to test/setup-timeout.ts.
 * @param {string} name @param {number} testTimeout @param {string[]} [setup] more setup files
 */
const project = (name, testTimeout, setup = []) => ({
  ...shared,
  displayName: name,
  testMatch: [`<rootDir>/test/${name}/**/*.test.ts`],
  globals: { TEST_TIMEOUT_MS: testTimeout },
  setupFilesAfterEnv: [...(shared.setupFilesAfterEnv ?? []), ...setup],
})

/** For projects whose tests each take a database of their own on one PostgreSQL server (test/support/database.ts). */
const withPostgres = {
  globalSetup: '<rootDir>/test/support/postgres-global-setup.mjs',
  globalTeardown: '<rootDir>/test/support/postgres-global-teardown.mjs',
}

/** @type {import('jest').Config} */
export default {
  // Two workers on this project's two-core machines: the long terraform and e2e files run
  // beside the short ones instead of after them.
  maxWorkers: 2,
  projects: [
    project('unit', 5_000),
    { ...project('integration', 30_000), ...withPostgres },
    project('stacks', 30_000, ['<rootDir>/test/stacks/setup.ts']),
    project('terraform', 240_000),
    { ...project('e2e', 60_000), ...withPostgres },
    project('faults', 300_000),
    project('images', 600_000),
  ],
}
