#!/usr/bin/env node
/*
 * Runs the static checks (types, API reports, lint, formatting: each counts as one test),
 * every package's Jest tests through the Backstage CLI, then the Playwright suite
 * (packages/app/e2e-tests) in Debian's Chromium, and closes with one summary line over both:
 * "N passed, N failed, N skipped". A test file that fails to load, or a browser run that
 * writes no results, counts as a failure, and any failure makes the exit code non-zero.
 *
 * The browser tests need /usr/bin/chromium (or CHROMIUM_PATH); as root the script installs
 * Debian's package when it is missing, otherwise the browser tests count as skipped and the
 * reason is printed. `--no-e2e` skips them the same way. Last comes the installation test
 * (scripts/install-test/run.js: the packed plugins installed into a Backstage outside the
 * repository), one test; `--no-install` skips it. Playwright starts the portal
 * (`yarn start app`, `yarn start backend`) unless one already answers on ports 3000 and 7007,
 * and stops what it started; ports that were free before the run are checked to be free after.
 */
const { spawnSync } = require('node:child_process');
const fs = require('node:fs');
const net = require('node:net');
const path = require('node:path');

const root = path.resolve(__dirname, '..');
const chromium = process.env.CHROMIUM_PATH || '/usr/bin/chromium';
const portalPorts = [3000, 7007];

const args = process.argv.slice(2);
const skipE2e = args.includes('--no-e2e');
const skipStatic = args.includes('--no-static');
const skipInstall = args.includes('--no-install');
const jestArgs = args.filter(
  a => !['--no-e2e', '--no-static', '--no-install'].includes(a),
);

/** The checks Backstage's own tooling runs on a repository; each one is a test that passes or fails. */
const STATIC_CHECKS = [
  // A whole build, not an incremental one: the declarations it writes print inferred unions in
  // the order the checker met their members, which an incremental build does not reproduce, and
  // the API reports below are read from them.
  {
    name: 'types (yarn tsc --incremental false)',
    command: ['tsc', '--incremental', 'false'],
  },
  // Reads the declarations yarn tsc has just written.
  {
    name: 'API reports (yarn api-reports:check)',
    command: ['api-reports:check'],
  },
  { name: 'lint (yarn lint:all)', command: ['lint:all'] },
  { name: 'formatting (yarn prettier:check)', command: ['prettier:check'] },
];

function runStaticChecks() {
  if (skipStatic) {
    console.log(
      `Static checks skipped (${STATIC_CHECKS.length}): --no-static was given`,
    );
    return { passed: 0, failed: 0, skipped: STATIC_CHECKS.length, ok: true };
  }
  let passed = 0;
  let failed = 0;
  for (const check of STATIC_CHECKS) {
    const started = Date.now();
    const run = spawnSync('yarn', check.command, {
      cwd: root,
      encoding: 'utf8',
      env: { ...process.env, CI: 'true' },
      maxBuffer: 256 * 1024 * 1024,
    });
    const seconds = Math.round((Date.now() - started) / 1000);
    if (run.status === 0) {
      passed += 1;
      console.log(`PASS ${check.name} (${seconds} s)`);
    } else {
      failed += 1;
      console.log(`FAIL ${check.name} (${seconds} s)`);
      const output = `${run.stdout ?? ''}${run.stderr ?? ''}`
        .trim()
        .split('\n');
      console.log(output.slice(-200).join('\n'));
    }
  }
  return { passed, failed, skipped: 0, ok: failed === 0 };
}

function runJest() {
  const resultsFile = path.join(root, 'test-results', 'jest.json');
  fs.mkdirSync(path.dirname(resultsFile), { recursive: true });
  fs.rmSync(resultsFile, { force: true });
  const run = spawnSync(
    'yarn',
    [
      'backstage-cli',
      'repo',
      'test',
      '--ci',
      '--json',
      `--outputFile=${resultsFile}`,
      ...jestArgs,
    ],
    {
      cwd: root,
      stdio: 'inherit',
      env: { ...process.env, CI: 'true' },
    },
  );
  if (!fs.existsSync(resultsFile)) {
    console.error('Jest wrote no results.');
    return { passed: 0, failed: 1, skipped: 0, ok: false };
  }
  const results = JSON.parse(fs.readFileSync(resultsFile, 'utf8'));
  const failed = results.numFailedTests + results.numRuntimeErrorTestSuites;
  return {
    passed: results.numPassedTests,
    failed,
    skipped: results.numPendingTests + results.numTodoTests,
    ok: failed === 0 && run.status === 0,
  };
}

/** Whether something accepts connections on the port (IPv4 or IPv6 loopback). */
function listening(port) {
  const attempt = host =>
    new Promise(resolve => {
      const socket = net.connect({ port, host });
      const done = result => {
        socket.destroy();
        resolve(result);
      };
      socket.setTimeout(1000, () => done(false));
      socket.once('connect', () => done(true));
      socket.once('error', () => done(false));
    });
  return Promise.all([attempt('127.0.0.1'), attempt('::1')]).then(
    ([v4, v6]) => v4 || v6,
  );
}

/** The number of tests in the Playwright suite, without running them (no browser, no servers). */
function countE2eTests() {
  const list = spawnSync(
    'yarn',
    ['playwright', 'test', '--list', '--reporter=list'],
    { cwd: root, encoding: 'utf8' },
  );
  const match = /Total: (\d+) tests? in/.exec(list.stdout || '');
  return match ? Number(match[1]) : 0;
}

function ensureChromium() {
  if (fs.existsSync(chromium)) return undefined;
  if (process.env.CHROMIUM_PATH)
    return `${chromium} (CHROMIUM_PATH) does not exist`;
  if (typeof process.getuid !== 'function' || process.getuid() !== 0) {
    return `${chromium} is missing and installing it needs root (apt-get install -y chromium)`;
  }
  console.log(`${chromium} is missing; installing Debian's chromium package.`);
  const install = () =>
    spawnSync('apt-get', ['install', '-y', 'chromium'], {
      stdio: 'inherit',
      env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' },
    });
  if (install().status !== 0) {
    spawnSync('apt-get', ['update'], { stdio: 'inherit' });
    install();
  }
  return fs.existsSync(chromium)
    ? undefined
    : `${chromium} is still missing after apt-get install -y chromium`;
}

async function runE2e() {
  const skipped = reason => {
    const count = countE2eTests();
    console.log(`Browser tests skipped (${count}): ${reason}`);
    return { passed: 0, failed: 0, skipped: count, ok: true };
  };
  if (skipE2e) return skipped('--no-e2e was given');
  const missing = ensureChromium();
  if (missing) return skipped(missing);

  const resultsFile = path.join(
    root,
    'node_modules',
    '.cache',
    'e2e-test-results',
    'results.json',
  );
  fs.rmSync(resultsFile, { force: true });
  const freeBefore = process.env.PLAYWRIGHT_URL
    ? []
    : (
        await Promise.all(
          portalPorts.map(async p => ((await listening(p)) ? undefined : p)),
        )
      ).filter(Boolean);
  const reused = portalPorts.filter(p => !freeBefore.includes(p));
  if (reused.length > 0 && !process.env.PLAYWRIGHT_URL)
    console.log(
      `Browser tests reuse what already listens on port ${reused.join(
        ' and ',
      )}.`,
    );

  const started = Date.now();
  const run = spawnSync('yarn', ['playwright', 'test'], {
    cwd: root,
    stdio: 'inherit',
    env: { ...process.env, CI: 'true' },
  });
  const seconds = Math.round((Date.now() - started) / 1000);
  console.log(
    `Browser tests took ${seconds} s (including the portal's start-up).`,
  );

  // Playwright stops the servers it started; a listener left behind would hold the ports for the next run.
  let left = [];
  for (let wait = 0; wait < 10; wait++) {
    left = (
      await Promise.all(
        freeBefore.map(async p => ((await listening(p)) ? p : undefined)),
      )
    ).filter(Boolean);
    if (left.length === 0) break;
    await new Promise(r => setTimeout(r, 1000));
  }
  if (left.length > 0)
    console.error(
      `The portal started for the browser tests still listens on port ${left.join(
        ' and ',
      )}.`,
    );

  if (!fs.existsSync(resultsFile)) {
    console.error('Playwright wrote no results.');
    return { passed: 0, failed: 1, skipped: 0, ok: false };
  }
  const { stats } = JSON.parse(fs.readFileSync(resultsFile, 'utf8'));
  const failed = stats.unexpected;
  return {
    passed: stats.expected + stats.flaky,
    failed,
    skipped: stats.skipped,
    ok: failed === 0 && run.status === 0 && left.length === 0,
  };
}

/** The installation test (scripts/install-test), counted as one test. */
function runInstallTest() {
  if (skipInstall) {
    console.log('Installation test skipped (1): --no-install was given');
    return { passed: 0, failed: 0, skipped: 1, ok: true };
  }
  const missing = ensureChromium();
  if (missing) {
    console.log(`FAIL installation test (yarn test:install): ${missing}`);
    return { passed: 0, failed: 1, skipped: 0, ok: false };
  }
  const run = spawnSync(
    process.execPath,
    [
      path.join(root, 'scripts', 'install-test', 'run.js'),
      // The static checks have just written dist-types.
      ...(skipStatic ? [] : ['--no-tsc']),
    ],
    { cwd: root, stdio: 'inherit' },
  );
  const ok = run.status === 0;
  console.log(`${ok ? 'PASS' : 'FAIL'} installation test (yarn test:install)`);
  return { passed: ok ? 1 : 0, failed: ok ? 0 : 1, skipped: 0, ok };
}

async function main() {
  const checks = runStaticChecks();
  const jest = runJest();
  const e2e = await runE2e();
  const install = runInstallTest();
  const results = [checks, jest, e2e, install];
  const sum = key => results.reduce((n, r) => n + r[key], 0);
  const ok = results.every(r => r.ok);
  // A failure that is no test's (a runner's exit status, a server left running) still counts once.
  const failed = sum('failed') || (ok ? 0 : 1);
  console.log(
    `${sum('passed')} passed, ${failed} failed, ${sum('skipped')} skipped`,
  );
  process.exit(ok ? 0 : 1);
}

main();
