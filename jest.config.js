// ESM + ts-jest: run with NODE_OPTIONS=--experimental-vm-modules (the `test` script does).
export default {
  preset: 'ts-jest/presets/default-esm',
  testEnvironment: 'node',
  roots: ['<rootDir>/__tests__'],
  testMatch: ['**/*.test.ts'],
  moduleNameMapper: { '^(\\.{1,2}/.*)\\.js$': '$1' },
  transform: {
    '^.+\\.ts$': ['ts-jest', { useESM: true, tsconfig: 'tsconfig.json' }],
  },
  // The run gets its own TMPDIR, and fails if the tests leave anything in it (see the files for how).
  globalSetup: '<rootDir>/__tests__/support/global-setup.mjs',
  globalTeardown: '<rootDir>/__tests__/support/global-teardown.mjs',
  // jest's transform cache lives with the dependencies, not in the temp folder.
  cacheDirectory: '<rootDir>/node_modules/.cache/jest',
  // End-to-end tests run the bundled action (killed after 30 s, see support/action-runner.ts) a few times each;
  // the longest take a few seconds.
  testTimeout: 60000,
};
