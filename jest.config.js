const { availableParallelism } = require('node:os');

/** One jest run for unit tests, real-database tests and ORM integration tests. */
module.exports = {
  testEnvironment: 'node',
  transform: {
    '^.+\\.ts$': ['ts-jest', { tsconfig: '<rootDir>/tsconfig.jest.json', diagnostics: false }],
  },
  // Most suites wait on PostgreSQL, MariaDB or a child process rather than on the CPU; jest's default (one worker
  // fewer than the cores) runs them one at a time on a 2-core machine. Each suite has a database of its own.
  maxWorkers: Math.max(2, availableParallelism() * 2),
  moduleNameMapper: {
    '^@seqsync/(core|cli|prisma|typeorm|knex|drizzle)$': '<rootDir>/packages/$1/src/index.ts',
  },
  testMatch: ['<rootDir>/packages/*/test/**/*.test.ts', '<rootDir>/integration-tests/**/*.test.ts'],
  modulePathIgnorePatterns: ['<rootDir>/integration-tests/.tmp/'],
  globalSetup: '<rootDir>/test-support/global-setup.ts',
  globalTeardown: '<rootDir>/test-support/global-teardown.ts',
  testTimeout: 120_000,
  reporters: ['default', '<rootDir>/test-support/summary-reporter.js'],
};
