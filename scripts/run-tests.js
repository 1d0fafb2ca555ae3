#!/usr/bin/env node
/*
 * Runs every package's Jest tests through the Backstage CLI and closes with one summary
 * line taken from Jest's JSON results: "N passed, N failed, N skipped". A test file that
 * fails to load counts as a failure, and any failure makes the exit code non-zero.
 */
const { spawnSync } = require('node:child_process');
const fs = require('node:fs');
const path = require('node:path');

const root = path.resolve(__dirname, '..');
const resultsFile = path.join(root, 'test-results', 'jest.json');
fs.mkdirSync(path.dirname(resultsFile), { recursive: true });
fs.rmSync(resultsFile, { force: true });

const args = [
  'backstage-cli',
  'repo',
  'test',
  '--ci',
  '--json',
  `--outputFile=${resultsFile}`,
  ...process.argv.slice(2),
];
const run = spawnSync('yarn', args, {
  cwd: root,
  stdio: 'inherit',
  env: { ...process.env, CI: 'true' },
});

if (!fs.existsSync(resultsFile)) {
  console.error('The test runner wrote no results.');
  console.log('0 passed, 1 failed');
  process.exit(run.status || 1);
}

const results = JSON.parse(fs.readFileSync(resultsFile, 'utf8'));
const passed = results.numPassedTests;
const skipped = results.numPendingTests + results.numTodoTests;
const failed = results.numFailedTests + results.numRuntimeErrorTestSuites;
console.log(`${passed} passed, ${failed} failed, ${skipped} skipped`);
process.exit(failed > 0 || run.status !== 0 ? run.status || 1 : 0);
