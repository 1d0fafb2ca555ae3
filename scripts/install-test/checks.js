/*
 * What the installed Backstage must do with Clusterdeck's packages: serve the demo fleet to a
 * signed-in user at /api/aws-clusters, put the fleet's clusters into the catalog, and show the
 * Clusters page of the frontend plugin in Chromium.
 */
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');

const root = path.resolve(__dirname, '../..');
const requireFromRepo = name =>
  require(require.resolve(name, { paths: [root] }));

const sleep = ms => new Promise(r => setTimeout(r, ms));

/** Retries `attempt` until it returns a value other than undefined, or throws the last reason. */
async function eventually(what, timeoutMs, attempt) {
  const deadline = Date.now() + timeoutMs;
  let reason = 'no answer';
  for (;;) {
    try {
      const value = await attempt();
      if (value !== undefined) return value;
    } catch (error) {
      if (error.fatal) throw error;
      reason = error.message;
    }
    if (Date.now() > deadline)
      throw new Error(`${what} within ${timeoutMs / 1000} s: ${reason}`);
    await sleep(1000);
  }
}

async function getJson(url, token) {
  const response = await fetch(url, {
    headers: token ? { authorization: `Bearer ${token}` } : {},
    signal: AbortSignal.timeout(15_000),
  });
  const text = await response.text();
  if (!response.ok)
    throw new Error(
      `GET ${url}: ${response.status} ${text.slice(0, 300).trim()}`,
    );
  return JSON.parse(text);
}

/** Waits until the fleet backend answers; fails early when the backend process has exited. */
async function waitForBackend(baseUrl, exited, timeoutMs) {
  return eventually('the backend did not answer', timeoutMs, async () => {
    const status = exited();
    if (status !== undefined)
      throw Object.assign(new Error(`the backend exited (${status})`), {
        fatal: true,
      });
    const response = await fetch(`${baseUrl}/api/aws-clusters/health`, {
      signal: AbortSignal.timeout(5_000),
    });
    if (response.status !== 200)
      throw new Error(`/api/aws-clusters/health answered ${response.status}`);
    return true;
  });
}

/** A token and the identity of the guest user, as the app's sign-in page obtains them. */
async function guestToken(baseUrl) {
  const response = await fetch(`${baseUrl}/api/auth/guest/refresh`, {
    headers: { 'x-requested-with': 'XMLHttpRequest' },
    signal: AbortSignal.timeout(15_000),
  });
  const body = await response.text();
  if (!response.ok)
    throw new Error(
      `guest sign-in answered ${response.status}: ${body.slice(0, 300)}`,
    );
  const { token, identity } = JSON.parse(body).backstageIdentity ?? {};
  if (!token) throw new Error('guest sign-in gave no Backstage token');
  return { token, identity: identity ?? {} };
}

/** The names of the demo fleet's clusters that `group` owns, from the fleet's definition. */
function demoClustersOf(group, config) {
  const YAML = requireFromRepo('yaml');
  const dir = config.snapshot.directory;
  const read = file => YAML.parse(fs.readFileSync(file, 'utf8'));
  const fleet = read(path.join(dir, 'fleet.yaml'));
  return fleet.clusters
    .map(c => c.request ?? read(path.resolve(dir, c.requestFile)))
    .filter(r => config.organizations[r.metadata.organization] === group)
    .map(r => r.metadata.name)
    .sort();
}

/** The payments team's clusters in the demo fleet: what its lead, the guest, must see. */
function expectedClusters(config) {
  const expected = demoClustersOf('group:default/payments', config);
  if (expected.length === 0)
    throw new Error('the demo fleet has no clusters of the payments team');
  return expected;
}

/**
 * The catalog holds the guest (so that sign-in finds the guest's team) and the Resource entities
 * the catalog module makes of the team's clusters, as the guest reads them: Clusterdeck's policy
 * lets a user read only its own teams' cluster entities, and a token's ownership claims are those
 * of its sign-in, so each attempt signs in anew (until the guest is in the catalog, the guest
 * belongs to no team).
 */
async function checkCatalog(baseUrl, clusterNames) {
  return eventually(
    'the catalog did not hold the guest and the clusters',
    120_000,
    async () => {
      const { token } = await guestToken(baseUrl);
      const guest = await getJson(
        `${baseUrl}/api/catalog/entities/by-name/user/default/guest`,
        token,
      ).catch(() => undefined);
      if (!guest) throw new Error('user:default/guest is not in the catalog');
      const url = `${baseUrl}/api/catalog/entities/by-query?filter=kind=resource&limit=500`;
      const { items } = await getJson(url, token);
      // Entities are titled with the cluster's name; their names are unique across namespaces.
      const names = new Set(items.map(e => e.metadata.title));
      const missing = clusterNames.filter(n => !names.has(n));
      if (missing.length > 0)
        throw new Error(
          `${items.length} Resource entities, missing ${missing.join(', ')}`,
        );
      return items.length;
    },
  );
}

/** Sign-in found the guest's team: the identity names the payments team among its owners. */
function checkOwnership(identity) {
  const refs = identity.ownershipEntityRefs ?? [];
  if (!refs.includes('group:default/payments'))
    throw new Error(
      `the guest's identity claims ${
        refs.join(', ') || 'no entities'
      }, not group:default/payments`,
    );
}

/** The guest reads exactly the team's demo clusters, once the first refresh has read the snapshot. */
async function checkFleetApi(baseUrl, token, expected) {
  return eventually(
    'GET /api/aws-clusters/clusters did not list the demo fleet',
    60_000,
    async () => {
      const { items } = await getJson(
        `${baseUrl}/api/aws-clusters/clusters`,
        token,
      );
      const names = items.map(c => c.name).sort();
      if (names.join() !== expected.join())
        throw new Error(
          `expected ${expected.join(', ')}; got ${names.join(', ') || 'none'}`,
        );
      const foreign = items.filter(c => c.owner !== 'group:default/payments');
      if (foreign.length > 0)
        throw new Error(
          `the guest sees clusters of ${foreign.map(c => c.owner).join(', ')}`,
        );
      return names;
    },
  );
}

/**
 * Chromium signs in as the guest, opens the Clusters page and finds the team's clusters in it,
 * with no error panel and no uncaught error on the page.
 */
async function checkClustersPage(baseUrl, chromiumPath, clusterNames) {
  const { chromium } = requireFromRepo('playwright-core');
  const profile = fs.mkdtempSync(path.join(os.tmpdir(), 'clusterdeck-it-'));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: chromiumPath,
    headless: true,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--no-first-run',
    ],
  });
  const pageErrors = [];
  try {
    const page = context.pages()[0] ?? (await context.newPage());
    page.setDefaultTimeout(60_000);
    page.on('pageerror', error => pageErrors.push(error.message));
    await page.goto(`${baseUrl}/aws-clusters`);
    await page.getByRole('button', { name: 'Enter' }).click();
    await page.getByRole('heading', { name: "Your teams' clusters" }).waitFor();
    for (const name of clusterNames)
      await page.getByRole('link', { name, exact: true }).first().waitFor();
    const alerts = await page.locator('[role="alert"]').allInnerTexts();
    const problems = [
      ...alerts.map(a => `error panel: ${a.trim().split('\n')[0]}`),
      ...pageErrors.map(e => `page error: ${e}`),
    ];
    if (problems.length > 0) throw new Error(problems.join('; '));
  } catch (error) {
    const shot = path.join(root, 'test-results', 'install-test.png');
    fs.mkdirSync(path.dirname(shot), { recursive: true });
    const page = context.pages()[0];
    if (page) await page.screenshot({ path: shot }).catch(() => {});
    throw new Error(
      `the Clusters page: ${error.message.split('\n')[0]}${
        pageErrors.length ? ` (page errors: ${pageErrors.join('; ')})` : ''
      } (screenshot: ${path.relative(root, shot)})`,
    );
  } finally {
    await context.close();
    fs.rmSync(profile, { recursive: true, force: true });
  }
}

module.exports = {
  checkCatalog,
  checkOwnership,
  expectedClusters,
  checkClustersPage,
  checkFleetApi,
  guestToken,
  waitForBackend,
};
