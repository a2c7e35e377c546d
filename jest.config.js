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
  // End-to-end suites start their own S3 server and child processes.
  testTimeout: 120000,
};
