/** One jest run for unit tests, real-database tests and ORM integration tests. */
module.exports = {
  testEnvironment: 'node',
  transform: {
    '^.+\\.ts$': ['ts-jest', { tsconfig: '<rootDir>/tsconfig.json', diagnostics: false }],
  },
  moduleNameMapper: {
    '^@seqsync/(core|cli|prisma|typeorm|knex)$': '<rootDir>/packages/$1/src/index.ts',
  },
  testMatch: ['<rootDir>/packages/*/test/**/*.test.ts', '<rootDir>/integration-tests/**/*.test.ts'],
  modulePathIgnorePatterns: ['<rootDir>/integration-tests/.tmp/'],
  globalSetup: '<rootDir>/test-support/global-setup.ts',
  globalTeardown: '<rootDir>/test-support/global-teardown.ts',
  testTimeout: 120_000,
  reporters: ['default', '<rootDir>/test-support/summary-reporter.js'],
};
