module.exports = require('@backstage/cli/config/eslint-factory')(__dirname, {
  rules: {
    // Suites check their shared setup (the fleet loaded, the reservations made) where it happens.
    'jest/no-standalone-expect': [
      'error',
      {
        additionalTestBlockFunctions: ['beforeAll', 'beforeEach', 'afterEach'],
      },
    ],
    // Property and matrix tests assert through their own helpers.
    'jest/expect-expect': [
      'warn',
      { assertFunctionNames: ['expect', 'expect*', 'run'] },
    ],
  },
});
