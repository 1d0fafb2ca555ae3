#!/usr/bin/env node
/*
 * The installation test: builds and packs the seven publishable packages, installs the tarballs
 * into a minimal Backstage backend and app outside the repository (Backstage's packages at the
 * versions of this repository's yarn.lock, Clusterdeck's added as their READMEs say), starts it
 * against the demo snapshot on a throwaway PostgreSQL database, and checks the fleet API, the
 * catalog and the Clusters page in Chromium. Prints the time of each phase; exits non-zero with
 * the reason when anything fails.
 *
 * The project lives in $TMPDIR/clusterdeck-install-test/<hash of yarn.lock> and is kept between
 * runs: its node_modules and the app's bundle are the cache (the bundle is rebuilt only when the
 * frontend tarball or the app changes). `--fresh` starts it afresh; `--no-tsc` skips `yarn tsc`
 * (when it has just run). Yarn runs under the system Node.js (INSTALL_TEST_YARN_NODE, default
 * /usr/bin/node, when present): Yarn 4.13 resolving new packages fails under Node.js 24.
 */
const { spawn, spawnSync } = require('node:child_process');
const fs = require('node:fs');
const net = require('node:net');
const os = require('node:os');
const path = require('node:path');
const {
  CLUSTERDECK_APP,
  CLUSTERDECK_BACKEND,
  appInputsHash,
  sha256,
  writeProject,
} = require('./project');
const {
  checkCatalog,
  checkClustersPage,
  checkFleetApi,
  checkOwnership,
  expectedClusters,
  guestToken,
  waitForBackend,
} = require('./checks');

const root = path.resolve(__dirname, '../..');
const args = process.argv.slice(2);
const chromiumPath = process.env.CHROMIUM_PATH || '/usr/bin/chromium';
const yarnRelease = path.join(root, '.yarn/releases/yarn-4.13.0.cjs');
const yarnNode = [process.env.INSTALL_TEST_YARN_NODE, '/usr/bin/node'].find(
  p => p && fs.existsSync(p),
);

/** The publishable packages under plugins/ (those not private), each after the ones it depends on. */
function publishablePackages() {
  const pkgs = new Map();
  for (const entry of fs.readdirSync(path.join(root, 'plugins'))) {
    const file = path.join(root, 'plugins', entry, 'package.json');
    if (!fs.existsSync(file)) continue;
    const pkg = JSON.parse(fs.readFileSync(file, 'utf8'));
    if (!pkg.private) pkgs.set(pkg.name, { dir: `plugins/${entry}`, pkg });
  }
  const ordered = [];
  const visit = name => {
    const node = pkgs.get(name);
    if (!node || ordered.includes(node.dir)) return;
    for (const dep of Object.keys(node.pkg.dependencies ?? {})) visit(dep);
    ordered.push(node.dir);
  };
  [...pkgs.keys()].sort().forEach(visit);
  return ordered;
}

const PACKAGES = publishablePackages();

const timings = [];
const cleanups = [];

class Failure extends Error {}

async function phase(name, fn) {
  const started = Date.now();
  process.stdout.write(`install test: ${name} ...\n`);
  try {
    const result = await fn();
    const seconds = (Date.now() - started) / 1000;
    timings.push([name, seconds]);
    console.log(`install test: ${name} done (${seconds.toFixed(1)} s)`);
    return result;
  } catch (error) {
    timings.push([`${name} (failed)`, (Date.now() - started) / 1000]);
    throw error instanceof Failure
      ? error
      : new Failure(`${name}: ${error.message}`);
  }
}

/** Runs a command to completion; on failure throws with the last lines of its output. */
function run(command, commandArgs, options = {}) {
  const result = spawnSync(command, commandArgs, {
    encoding: 'utf8',
    maxBuffer: 256 * 1024 * 1024,
    ...options,
  });
  if (result.status !== 0) {
    const output = `${result.stdout ?? ''}${result.stderr ?? ''}`
      .trim()
      .split('\n')
      .slice(-40)
      .join('\n');
    throw new Failure(
      `${[command, ...commandArgs].join(' ')} (in ${
        options.cwd ?? process.cwd()
      }) exited ${result.status ?? result.signal}${
        result.error ? `: ${result.error.message}` : ''
      }\n${output}`,
    );
  }
  return result.stdout;
}

/** Names of the files in a tarball and its package.json. */
function readTarball(file) {
  const entries = run('tar', ['-tzf', file])
    .split('\n')
    .filter(Boolean)
    .map(e => e.replace(/^package\//, ''));
  const pkg = JSON.parse(run('tar', ['-xzOf', file, 'package/package.json']));
  return { entries: new Set(entries), pkg };
}

/**
 * What a registry install of the tarball would trip over: an entry point, export, types path or
 * configuration schema that the tarball does not contain, or a workspace: range left in.
 */
function tarballProblems({ entries, pkg }) {
  const problems = [];
  const has = target => {
    const file = target.replace(/^\.\//, '');
    return (
      entries.has(file) ||
      (file.includes('*') &&
        [...entries].some(e =>
          new RegExp(`^${file.split('*').map(escapeRegExp).join('.*')}$`).test(
            e,
          ),
        ))
    );
  };
  const targets = (value, where) => {
    if (typeof value === 'string') return [[value, where]];
    if (value && typeof value === 'object')
      return Object.entries(value).flatMap(([k, v]) =>
        targets(v, `${where}[${JSON.stringify(k)}]`),
      );
    return [];
  };
  const paths = [
    ...targets(pkg.main, 'main'),
    ...targets(pkg.module, 'module'),
    ...targets(pkg.types, 'types'),
    // Export targets are files only when they start with ./ (Node's rule); Backstage's own
    // `backstage` condition names the kind of plugin an entry point exports, not a file.
    ...targets(pkg.exports, 'exports').filter(([v]) => v.startsWith('./')),
    ...targets(pkg.typesVersions, 'typesVersions'),
    ...targets(pkg.configSchema, 'configSchema').filter(([v]) =>
      /\.(d\.ts|json)$/.test(v),
    ),
  ];
  for (const [target, where] of paths)
    if (!has(target))
      problems.push(`${where} names ${target}, which the tarball lacks`);
  for (const field of ['dependencies', 'peerDependencies']) {
    for (const [name, range] of Object.entries(pkg[field] ?? {}))
      if (/^(workspace|link|file|portal):/.test(range))
        problems.push(`${field}.${name} is ${range}`);
  }
  if (pkg.private) problems.push('it is private');
  return problems;
}

function escapeRegExp(s) {
  return s.replace(/[.+?^${}()|[\]\\]/g, '\\$&');
}

function freePort() {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

/** The project folder: the cached one, unless another run holds it (then a throwaway one). */
function claimProject() {
  const base = path.join(os.tmpdir(), 'clusterdeck-install-test');
  const key = sha256(fs.readFileSync(path.join(root, 'yarn.lock'))).slice(
    0,
    16,
  );
  fs.mkdirSync(base, { recursive: true });
  const dir = path.join(base, key);
  const lock = `${dir}.lock`;
  const alive = pid => {
    try {
      process.kill(pid, 0);
      return true;
    } catch {
      return false;
    }
  };
  try {
    const holder = Number(fs.readFileSync(lock, 'utf8'));
    if (holder && alive(holder)) {
      const spare = fs.mkdtempSync(path.join(base, 'run-'));
      console.log(
        `install test: ${dir} is in use by process ${holder}; installing into ${spare}`,
      );
      cleanups.push(() => fs.rmSync(spare, { recursive: true, force: true }));
      return spare;
    }
  } catch {
    // no lock
  }
  fs.writeFileSync(lock, String(process.pid));
  cleanups.push(() => fs.rmSync(lock, { force: true }));
  // Projects of earlier lockfiles are of no more use.
  for (const entry of fs.readdirSync(base)) {
    if (entry === key || entry.startsWith(`${key}.`)) continue;
    const other = path.join(base, entry);
    if (/^[0-9a-f]{16}$/.test(entry) && !fs.existsSync(`${other}.lock`))
      fs.rmSync(other, { recursive: true, force: true });
  }
  if (args.includes('--fresh'))
    fs.rmSync(dir, { recursive: true, force: true });
  return dir;
}

/** The repository's clusterdeck configuration, with its paths made absolute. */
function clusterdeckConfig() {
  const YAML = require(require.resolve('yaml', { paths: [root] }));
  const config = YAML.parse(
    fs.readFileSync(path.join(root, 'app-config.yaml'), 'utf8'),
  ).clusterdeck;
  // The scaffolder's local GitOps repository is the demo's; the test runs no template.
  delete config.gitops;
  config.snapshot.directory = path.resolve(
    root,
    'packages/backend',
    config.snapshot.directory,
  );
  return config;
}

function appConfig({ port, database, clusterdeck }) {
  const baseUrl = `http://127.0.0.1:${port}`;
  const examples = path.join(root, 'examples');
  return {
    app: { title: 'Clusterdeck installation test', baseUrl },
    organization: { name: 'Example Corp' },
    backend: {
      baseUrl,
      listen: { port, host: '127.0.0.1' },
      cors: { origin: baseUrl, credentials: true },
      database: {
        client: 'pg',
        pluginDivisionMode: 'schema',
        connection: {
          host: '127.0.0.1',
          port: 5432,
          user: 'postgres',
          database,
        },
      },
    },
    auth: {
      providers: {
        guest: {
          userEntityRef: 'user:default/guest',
          dangerouslyAllowOutsideDevelopment: true,
        },
      },
    },
    catalog: {
      rules: [{ allow: ['Component', 'System', 'Domain', 'API', 'Resource'] }],
      locations: [
        {
          type: 'file',
          target: path.join(examples, 'org.yaml'),
          rules: [{ allow: ['User', 'Group'] }],
        },
        { type: 'file', target: path.join(examples, 'environments.yaml') },
      ],
    },
    permission: { enabled: true },
    clusterdeck,
  };
}

/** A PostgreSQL client of the server the test backend uses. */
async function postgres() {
  const { Client } = require(require.resolve('pg', {
    paths: [path.join(root, 'packages/backend')],
  }));
  const client = new Client({
    host: '127.0.0.1',
    port: 5432,
    user: 'postgres',
    database: 'postgres',
  });
  await client.connect();
  return client;
}

function tail(file, lines) {
  try {
    return fs
      .readFileSync(file, 'utf8')
      .trim()
      .split('\n')
      .slice(-lines)
      .join('\n');
  } catch {
    return '(no output)';
  }
}

async function main() {
  const started = Date.now();
  if (!fs.existsSync(chromiumPath))
    throw new Failure(
      `${chromiumPath} is missing (apt-get install -y chromium, or set CHROMIUM_PATH)`,
    );
  if (!yarnNode)
    throw new Failure(
      'no Node.js for Yarn: set INSTALL_TEST_YARN_NODE to a Node.js 20 or 22',
    );

  if (!args.includes('--no-tsc'))
    await phase('types (yarn tsc, for dist-types)', () => {
      // It writes dist-types even when it reports errors; the static checks judge those.
      spawnSync('yarn', ['tsc'], { cwd: root, stdio: 'ignore' });
    });

  await phase(`build ${PACKAGES.length} packages`, () => {
    for (const dir of PACKAGES)
      run('yarn', ['backstage-cli', 'package', 'build'], {
        cwd: path.join(root, dir),
      });
  });

  const packs = fs.mkdtempSync(path.join(os.tmpdir(), 'clusterdeck-packs-'));
  cleanups.push(() => fs.rmSync(packs, { recursive: true, force: true }));
  const tarballs = await phase('pack and inspect the tarballs', () => {
    const problems = [];
    const packed = PACKAGES.map(dir => {
      const { name, version } = JSON.parse(
        fs.readFileSync(path.join(root, dir, 'package.json'), 'utf8'),
      );
      const file = path.join(
        packs,
        `${name.replace('@', '').replace('/', '-')}.tgz`,
      );
      run('yarn', ['pack', '--out', file], { cwd: path.join(root, dir) });
      const { pkg, entries } = readTarball(file);
      for (const problem of tarballProblems({ pkg, entries }))
        problems.push(`${name}: ${problem}`);
      if (pkg.exports && !pkg.scripts?.prepack)
        problems.push(
          `${name}: has no prepack script, so its exports stay the workspace's; Backstage packages pack with "prepack": "backstage-cli package prepack" and "postpack": "backstage-cli package postpack"`,
        );
      return { name, version, file };
    });
    if (problems.length > 0)
      throw new Failure(
        `the packed packages would not install from a registry:\n  ${problems.join(
          '\n  ',
        )}`,
      );
    return packed;
  });

  const project = claimProject();
  await phase(`install into ${project}`, () => {
    writeProject(project, tarballs);
    const env = {
      ...process.env,
      YARN_ENABLE_IMMUTABLE_INSTALLS: 'false',
      YARN_ENABLE_PROGRESS_BARS: 'false',
      YARN_ENABLE_TELEMETRY: 'false',
    };
    delete env.CI;
    run(yarnNode, [yarnRelease, 'install', '--mode=skip-build'], {
      cwd: project,
      env,
    });
    for (const name of [...CLUSTERDECK_BACKEND, ...CLUSTERDECK_APP]) {
      if (!fs.existsSync(path.join(project, 'node_modules', name)))
        throw new Failure(`${name} is not in ${project}/node_modules`);
    }
  });

  const cli = path.join(
    project,
    'node_modules/@backstage/cli/bin/backstage-cli',
  );
  const stamp = path.join(project, 'packages/app/dist/.inputs');
  const inputs = appInputsHash(project);
  if (fs.existsSync(stamp) && fs.readFileSync(stamp, 'utf8') === inputs) {
    console.log('install test: the app bundle is up to date');
  } else {
    await phase('build the app', () => {
      fs.rmSync(path.join(project, 'packages/app/dist'), {
        recursive: true,
        force: true,
      });
      run(process.execPath, [cli, 'package', 'build'], {
        cwd: path.join(project, 'packages/app'),
        env: { ...process.env, NODE_ENV: 'production' },
      });
      fs.writeFileSync(stamp, inputs);
    });
  }

  const database = `clusterdeck_install_${process.pid}_${Date.now()}`;
  await phase('create the database', async () => {
    const client = await postgres();
    try {
      await client.query(`CREATE DATABASE ${database}`);
    } finally {
      await client.end();
    }
    cleanups.push(async () => {
      const c = await postgres();
      try {
        await c.query(`DROP DATABASE IF EXISTS ${database} WITH (FORCE)`);
      } finally {
        await c.end();
      }
    });
  });

  const port = await freePort();
  const baseUrl = `http://127.0.0.1:${port}`;
  const clusterdeck = clusterdeckConfig();
  const configFile = path.join(project, 'app-config.yaml');
  fs.writeFileSync(
    configFile,
    `${JSON.stringify(appConfig({ port, database, clusterdeck }), null, 2)}\n`,
  );
  const log = path.join(project, 'backend.log');
  const logFd = fs.openSync(log, 'w');
  let exitStatus;
  const backend = spawn(
    process.execPath,
    [cli, 'package', 'start', '--config', configFile],
    {
      cwd: path.join(project, 'packages/backend'),
      detached: true,
      stdio: ['ignore', logFd, logFd],
      env: { ...process.env, NODE_ENV: 'development' },
    },
  );
  fs.closeSync(logFd);
  backend.on('exit', (code, signal) => {
    exitStatus = code ?? signal;
  });
  cleanups.push(() => stopGroup(backend, () => exitStatus !== undefined));

  try {
    await phase(`start the backend on ${baseUrl}`, () =>
      waitForBackend(baseUrl, () => exitStatus, 180_000),
    );
    const clusters = expectedClusters(clusterdeck);
    const count = await phase('read the catalog', async () =>
      checkCatalog(baseUrl, clusters),
    );
    console.log(`install test: the catalog holds ${count} Resource entities`);
    const token = await phase('sign in as the guest', async () => {
      const { token: t, identity } = await guestToken(baseUrl);
      checkOwnership(identity);
      return t;
    });
    await phase('read the fleet API', () =>
      checkFleetApi(baseUrl, token, clusters),
    );
    console.log(
      `install test: GET /api/aws-clusters/clusters lists ${clusters.join(
        ', ',
      )}`,
    );
    await phase('open the Clusters page in Chromium', () =>
      checkClustersPage(baseUrl, chromiumPath, clusters),
    );
  } catch (error) {
    throw new Failure(
      `${error.message}\n--- the test backend's last lines (${log}) ---\n${tail(
        log,
        40,
      )}`,
    );
  }
  return (Date.now() - started) / 1000;
}

/** Stops a detached process and its children, harder after 10 seconds. */
async function stopGroup(child, exited) {
  const signal = sig => {
    try {
      process.kill(-child.pid, sig);
    } catch {
      // already gone
    }
  };
  signal('SIGTERM');
  for (let i = 0; i < 100 && !exited(); i++)
    await new Promise(r => setTimeout(r, 100));
  signal('SIGKILL');
}

async function cleanUp() {
  for (const cleanup of cleanups.reverse()) {
    try {
      await cleanup();
    } catch (error) {
      console.error(`install test: clean-up: ${error.message}`);
    }
  }
}

function printTimings() {
  for (const [name, seconds] of timings)
    console.log(`  ${seconds.toFixed(1).padStart(6)} s  ${name}`);
}

let interrupted = false;
for (const sig of ['SIGINT', 'SIGTERM'])
  process.on(sig, async () => {
    if (interrupted) return;
    interrupted = true;
    await cleanUp();
    process.exit(130);
  });

main().then(
  async total => {
    await cleanUp();
    printTimings();
    console.log(`install test passed in ${total.toFixed(0)} s`);
  },
  async error => {
    await cleanUp();
    printTimings();
    console.error(`install test FAILED: ${error.message}`);
    process.exit(1);
  },
);
