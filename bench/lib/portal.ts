import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { BENCH_SERVICE_GRANTS, freePort, waitForFleet } from './backendProcess';
import { sleep } from './stats';

/*
 * The whole portal as a user meets it, for the benchmarks that measure a page: packages/backend
 * (serving the production build of packages/app through its app plugin) in a process of its own
 * on a free loopback port, with the repository's app-config.yaml and a benchmark's configuration
 * read after it, and Debian's Chromium (headless) signed in as the demo's guest.
 */

const REPO = path.resolve(__dirname, '..', '..');
export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const APP_DIST = path.join(REPO, 'packages', 'app', 'dist', 'index.html');

/** Builds packages/app's production bundle when asked to or when there is none; throws on failure. */
export function ensureAppBuild(build: boolean) {
  if (!fs.existsSync(CHROMIUM))
    throw new Error(`${CHROMIUM} is missing: apt-get install -y chromium`);
  if (build || !fs.existsSync(APP_DIST)) {
    console.log(
      'building packages/app (the production bundle the backend serves)',
    );
    const result = spawnSync('yarn', ['build'], {
      cwd: path.join(REPO, 'packages', 'app'),
      stdio: ['ignore', 'ignore', 'inherit'],
    });
    if (result.status !== 0) throw new Error('the app build failed');
  }
}

export interface Portal {
  /** http://127.0.0.1:<port> */
  base: string;
  /** A static external-access token (subject `bench`) that may read the fleet. */
  token: string;
  backend: ChildProcess;
  stop(): void;
}

/**
 * Starts packages/backend with `clusterdeck` as the fleet's configuration (read after
 * app-config.yaml: a key set to null there is unset). The backend's output goes to `logFile`.
 */
export async function startPortal(options: {
  work: string;
  clusterdeck: Record<string, unknown>;
  logFile: string;
}): Promise<Portal> {
  const port = await freePort();
  const base = `http://127.0.0.1:${port}`;
  const token = crypto.randomBytes(24).toString('hex');
  const config = {
    app: { baseUrl: base },
    backend: {
      baseUrl: base,
      listen: { host: '127.0.0.1', port },
      cors: { origin: base },
      database: { client: 'better-sqlite3', connection: ':memory:' },
      auth: {
        externalAccess: [
          { type: 'static', options: { token, subject: 'bench' } },
        ],
      },
    },
    clusterdeck: {
      adminGroups: ['group:default/platform'],
      refresh: { frequency: { hours: 1 }, timeout: { minutes: 10 } },
      // app-config.yaml accepts a finding in one of the demo's accounts, which a benchmark's fleet lacks.
      findings: { accepted: [] },
      // Its own GitOps repository: the demo's stays as the demo left it.
      gitops: { localRepository: path.join(options.work, 'gitops') },
      // The benchmark reads the fleet with its external-access token, which needs a grant.
      permissions: BENCH_SERVICE_GRANTS,
      ...options.clusterdeck,
    },
  };
  // JSON is YAML: the config loader reads it as it is. It is read after app-config.yaml and wins.
  const configFile = path.join(options.work, 'app-config.bench.yaml');
  fs.writeFileSync(configFile, JSON.stringify(config, null, 2));
  const log = fs.openSync(options.logFile, 'w');
  const backend = spawn(
    process.execPath,
    [
      '-r',
      require.resolve('@backstage/cli/config/nodeTransform.cjs'),
      'src/index.ts',
      '--config',
      path.join(REPO, 'app-config.yaml'),
      '--config',
      configFile,
    ],
    {
      cwd: path.join(REPO, 'packages', 'backend'),
      stdio: ['ignore', log, log],
      env: { ...process.env, LOG_LEVEL: 'warn' },
      detached: true,
    },
  );
  return {
    base,
    token,
    backend,
    stop() {
      if (backend.exitCode !== null) return;
      try {
        process.kill(-backend.pid!, 'SIGTERM');
      } catch {
        backend.kill('SIGTERM');
      }
    },
  };
}

/**
 * Waits until the portal's backend serves the whole fleet (`clusters` of them) and the app
 * plugin serves the app (it answers 503 until it has started); returns the fleet's clusters.
 */
export async function waitForPortal(portal: Portal, clusters: number) {
  const items = await waitForFleet(
    portal.base,
    portal.token,
    clusters,
    portal.backend,
    300_000,
  );
  const deadline = Date.now() + 120_000;
  let last = '';
  while (Date.now() < deadline) {
    try {
      const res = await fetch(portal.base);
      await res.arrayBuffer();
      if (res.ok) return items;
      last = `${res.status}`;
    } catch (error) {
      last = (error as Error).message;
    }
    await sleep(500);
  }
  throw new Error(`the app was not served within 120 s (last: ${last})`);
}

/** Debian's Chromium, headless, without the background traffic that would disturb timings. */
export function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
}

/** Signs in as the demo's guest (a lead of the payments team) and waits for the catalog. */
export async function signInAsGuest(page: Page, base: string) {
  await page.goto(base);
  await page.getByRole('button', { name: 'Enter' }).click();
  await page
    .getByRole('heading', { level: 1, name: /Catalog/ })
    .waitFor({ timeout: 60_000 });
}

/**
 * Opens a catalog entity's page and waits until `text` is on it: the catalog takes in the
 * fleet's entities a little after the backend serves the fleet, so the page is loaded again until
 * the entity is there.
 */
export async function openEntityPage(
  page: Page,
  base: string,
  entityPath: string,
  text: string,
) {
  const deadline = Date.now() + 300_000;
  for (;;) {
    await page.goto(`${base}${entityPath}`);
    const found = await page
      .getByText(text)
      .first()
      .waitFor({ timeout: 15_000 })
      .then(
        () => true,
        () => false,
      );
    if (found) return;
    if (Date.now() > deadline)
      throw new Error(`the catalog has no entity at ${entityPath}`);
  }
}
