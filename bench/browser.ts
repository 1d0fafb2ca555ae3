import { writeSnapshotDirectory } from '@clusterdeck/plugin-aws-clusters-node';
import {
  generateFleetDefinition,
  simulateFleet,
} from '@clusterdeck/demo-fleet';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { generatedFleetConfig } from '../plugins/aws-clusters-backend/src/__testUtils__/harness/generatedFleetConfig';
import {
  ensureAppBuild,
  launchChromium,
  openEntityPage,
  signInAsGuest,
  startPortal,
  waitForPortal,
} from './lib/portal';
import { percentile, round, sleep } from './lib/stats';

/*
 * Browser timing benchmark: the portal's backend (packages/backend, with the production build of
 * packages/app served by its app plugin) serving a generated fleet in which the payments team owns
 * every cluster and one cluster has 3 zones and 20 node pools, read by Debian's Chromium (headless).
 *
 * What is measured, for each of the five views:
 *  - route: an in-app route change (history.pushState + popstate, as a link click does) from a
 *    neutral page to the view; from performance.now() just before the change to the first animation
 *    frame in which the view's content is in the DOM. The data is fetched anew each time (the HTTP
 *    cache is disabled), the page's code is loaded (one warm-up run is not counted).
 *  - load: a full page load of the view; from the navigation start (performance.now() = 0) to the
 *    same frame. It includes fetching and parsing the app's bundle, configuration and sign-in.
 * Content of the topology card: its diagram has a box of each of the 20 pools (one per pool and
 * zone; the pools counted by name) and its labels are drawn.
 * Content of the team's Clusters table: its filter bar and first page of rows, each with a link
 * to a cluster. Content of the fleet overview: the counts by status, and the same table. Content of a
 * management cluster's and an account's page: its Clusterdeck card with links to its clusters.
 */

const REPO = path.resolve(__dirname, '..');
const RESULTS = path.join(__dirname, 'results');
const TEAM = 'payments';
const WIDE_POOLS = 20;

export interface BrowserOptions {
  clusters: number;
  runs: number;
  /** Build packages/app first (its production bundle is what the backend serves). */
  build: boolean;
  /** The issue's goal for the route change's median. */
  goalMs: number;
}

/** A generated fleet in which one team owns every cluster and one EC2 cluster over 3 zones has 20 pools. */
export function browserFleet(clusters: number) {
  const definition = generateFleetDefinition({
    accounts: 1,
    clusters,
    regions: 3,
    seed: 'browser',
  });
  for (const c of definition.clusters) {
    c.request.metadata.organization = TEAM;
    c.request.metadata.owner = `group:default/${TEAM}`;
  }
  const wide = definition.clusters.find(
    c =>
      c.request.spec.flavor === 'ec2' &&
      c.request.spec.network.availabilityZones === 3 &&
      c.request.spec.network.vpc.mode === 'create' &&
      !c.request.spec.network.cni,
  );
  if (!wide)
    throw new Error(
      'the generated fleet has no EC2 cluster over 3 zones to give 20 pools',
    );
  const names = Array.from(
    { length: WIDE_POOLS },
    (_, i) => `pool${String(i).padStart(2, '0')}`,
  );
  wide.request.spec.nodePools = names.map((name, i) => ({
    name,
    type: 'asg' as const,
    instanceType: i % 2 ? 'm6i.xlarge' : 'c6i.2xlarge',
    minSize: 1,
    maxSize: 10,
    spot: { enabled: i % 3 === 0 },
  })) as typeof wide.request.spec.nodePools;
  wide.nodes = Object.fromEntries(
    names.map((name, i) => [
      name,
      { desired: 1 + (i % 5), ready: 1 + (i % 5) },
    ]),
  );
  delete wide.activities;
  return {
    snapshot: simulateFleet(definition),
    wide: {
      managementCluster: wide.request.spec.managementCluster,
      name: wide.request.metadata.name,
    },
  };
}

interface Frames {
  /** The first animation frame with the content in the DOM, laid out and visible. */
  ready: number;
  /** The first frame with the content in the DOM, whether or not shown yet. */
  present: number;
  /** When the view's fleet request (the last one since `since`) had its answer, and its size. */
  fetchStart?: number;
  fetchEnd?: number;
  fetchBytes?: number;
  /** How many times the view asked for its fleet data. */
  fetchCount?: number;
}

/** Waits, polling every animation frame in the page, for the view's content; times in performance.now(). */
async function frameWhen(
  page: Page,
  view: View,
  since: number,
  timeoutMs: number,
): Promise<Frames> {
  await page.waitForFunction(
    ({ ready, present }) => {
      const w = window as any;
      const now = performance.now();
      if (
        w.__benchPresent === undefined &&
        new Function(`return (${present})`)()
      )
        w.__benchPresent = now;
      const holds = new Function(`return (${ready})`)() as boolean;
      if (holds && w.__benchReady === undefined) w.__benchReady = now;
      return holds;
    },
    { ready: view.ready, present: view.present },
    { polling: 'raf', timeout: timeoutMs },
  );
  return page.evaluate(
    ({ api, since: from }) => {
      const w = window as any;
      const frames = {
        ready: w.__benchReady as number,
        present: (w.__benchPresent ?? w.__benchReady) as number,
      };
      delete w.__benchReady;
      delete w.__benchPresent;
      const fetches = (
        performance.getEntriesByType('resource') as PerformanceResourceTiming[]
      ).filter(e => new RegExp(api).test(e.name) && e.startTime >= from);
      const last = fetches[fetches.length - 1];
      return last
        ? {
            ...frames,
            fetchStart: last.startTime,
            fetchEnd: last.responseEnd,
            fetchBytes: last.encodedBodySize,
            fetchCount: fetches.length,
          }
        : frames;
    },
    { api: view.api, since },
  );
}

/** Changes the app's route as a link does, and returns performance.now() just before the change. */
function routeChange(page: Page, to: string): Promise<number> {
  return page.evaluate(target => {
    // The resource timing buffer (250 entries by default) would fill up over the runs.
    performance.clearResourceTimings();
    const t0 = performance.now();
    window.history.pushState({}, '', target);
    window.dispatchEvent(new PopStateEvent('popstate', { state: {} }));
    return t0;
  }, to);
}

interface View {
  name: string;
  path: string;
  /** A JavaScript expression, true once the view's content is in the DOM and visible. */
  ready: string;
  /** A JavaScript expression, true once the content is in the DOM (perhaps still hidden). */
  present: string;
  /** A regular expression of the URL of the fleet request that brings the view's data. */
  api: string;
}

function summary(samples: number[]) {
  const sorted = [...samples].sort((a, b) => a - b);
  return {
    medianMs: round(percentile(sorted, 50)),
    p95Ms: round(percentile(sorted, 95)),
    minMs: round(sorted[0]),
    maxMs: round(sorted[sorted.length - 1]),
    samplesMs: samples.map(s => round(s)),
  };
}

/** Goes to the neutral page between runs, the user settings (which read no fleet data), and rests. */
async function toSettings(page: Page) {
  await routeChange(page, '/settings');
  await page
    .getByRole('heading', { name: 'Settings' })
    .first()
    .waitFor({ timeout: 30_000 });
  await sleep(300);
}

async function measureView(page: Page, base: string, view: View, runs: number) {
  const route: Frames[] = [];
  const load: Frames[] = [];
  for (let i = 0; i <= runs; i++) {
    await toSettings(page);
    const t0 = await routeChange(page, view.path);
    const f = await frameWhen(page, view, t0, 60_000);
    const since = (t?: number) => (t === undefined ? undefined : t - t0);
    if (i > 0)
      route.push({
        ...f,
        ready: f.ready - t0,
        present: f.present - t0,
        fetchStart: since(f.fetchStart),
        fetchEnd: since(f.fetchEnd),
      });
  }
  for (let i = 0; i <= runs; i++) {
    await page.goto(`${base}${view.path}`, { waitUntil: 'commit' });
    const f = await frameWhen(page, view, 0, 60_000);
    if (i > 0) load.push(f);
  }
  const phases = (frames: Frames[]) => ({
    ...summary(frames.map(f => f.ready)),
    inDomMedianMs: summary(frames.map(f => f.present)).medianMs,
    dataRequestedMedianMs: frames.every(f => f.fetchStart !== undefined)
      ? summary(frames.map(f => f.fetchStart!)).medianMs
      : undefined,
    dataReceivedMedianMs: frames.every(f => f.fetchEnd !== undefined)
      ? summary(frames.map(f => f.fetchEnd!)).medianMs
      : undefined,
    dataBytes: frames.find(f => f.fetchBytes !== undefined)?.fetchBytes,
    dataRequests: Math.max(...frames.map(f => f.fetchCount ?? 0)),
  });
  return { route: phases(route), load: phases(load) };
}

export async function runBrowser(options: BrowserOptions) {
  ensureAppBuild(options.build);
  const work = fs.mkdtempSync(path.join(os.tmpdir(), 'clusterdeck-browser-'));
  const fleetDir = path.join(work, 'fleet');
  const { snapshot, wide } = browserFleet(options.clusters);
  writeSnapshotDirectory(fleetDir, snapshot);
  console.log(
    `fleet: ${options.clusters} clusters of ${TEAM}; ${wide.managementCluster}/${wide.name} has 3 zones and ${WIDE_POOLS} node pools`,
  );

  const fleetConfig = generatedFleetConfig({ accounts: 1, regions: 3 });
  fs.mkdirSync(RESULTS, { recursive: true });
  const size = `${options.clusters}x${WIDE_POOLS}`;
  const portal = await startPortal({
    work,
    clusterdeck: { ...fleetConfig, snapshot: { directory: fleetDir } },
    logFile: path.join(RESULTS, `browser-${size}.backend.log`),
  });
  const { base } = portal;
  const browser = await launchChromium();
  try {
    const startedAt = Date.now();
    await waitForPortal(portal, options.clusters);
    console.log(
      `backend serves the fleet after ${round(
        (Date.now() - startedAt) / 1000,
      )} s`,
    );

    const page = await browser.newPage({
      viewport: { width: 1440, height: 900 },
    });
    const cdp = await page.context().newCDPSession(page);
    await cdp.send('Network.enable');
    await cdp.send('Network.setCacheDisabled', { cacheDisabled: true });

    await signInAsGuest(page, base);
    const topologyPath = `/catalog/default/resource/${wide.managementCluster}-${wide.name}`;
    await openEntityPage(page, base, topologyPath, 'Cluster topology');

    // A card of an entity page, by its title, that lists clusters with links to them.
    const entityCardLinks = (title: string) =>
      `[...document.querySelectorAll('.MuiCard-root')].some(c => (c.querySelector('.MuiCardHeader-root')?.textContent || '').startsWith(${JSON.stringify(
        title,
      )}) && c.querySelectorAll('a[href*="/catalog/default/resource/"]').length > 0)`;
    // The table's first page of rows, each with a link to a cluster, below its filter bar.
    const firstPage = Math.min(20, options.clusters);
    const tableRows = `document.querySelectorAll('tbody tr a[href*="/catalog/default/resource/"]').length >= ${firstPage} && !!document.querySelector('[role="search"][aria-label="Filter clusters"]')`;
    // The diagram draws a box per node pool and zone: the pools counted are the distinct names.
    const poolsDrawn = `new Set([...document.querySelectorAll('g[data-kind="pool"][role="button"]')].map(g => /^Node pool (\\S+)/.exec(g.getAttribute('aria-label') || '')?.[1]).filter(Boolean)).size >= ${WIDE_POOLS}`;
    const views: View[] = [
      {
        name: `topology card (3 zones, ${WIDE_POOLS} pools)`,
        path: topologyPath,
        ready: `(${poolsDrawn}) && [...document.querySelectorAll('svg[role="group"] text')].some(t => t.getBoundingClientRect().height > 0)`,
        present: poolsDrawn,
        api: `/api/aws-clusters/clusters/${wide.managementCluster}/`,
      },
      {
        name: `team Clusters table (${options.clusters} clusters)`,
        path: `/catalog/default/group/${TEAM}/clusters`,
        ready: tableRows,
        present: tableRows,
        api: '/api/aws-clusters/clusters\\?',
      },
      {
        name: `fleet overview (${options.clusters} clusters)`,
        path: '/aws-clusters-fleet',
        // The counts' charts, the clusters that need attention and the table's first page.
        ready: `(${tableRows}) && !!document.querySelector('ul[aria-label="Clusters by status"] button')`,
        present: `(${tableRows}) && !!document.querySelector('ul[aria-label="Clusters by status"] button')`,
        api: '/api/aws-clusters/clusters($|\\?)',
      },
      {
        name: `management cluster page (${options.clusters} clusters)`,
        path: `/catalog/default/resource/${wide.managementCluster}`,
        ready: entityCardLinks(`Management cluster ${wide.managementCluster}`),
        present: entityCardLinks(
          `Management cluster ${wide.managementCluster}`,
        ),
        api: '/api/aws-clusters/clusters($|\\?)',
      },
      {
        name: `account page (${options.clusters} clusters)`,
        path: `/catalog/default/resource/aws-account-${fleetConfig.accounts[0].name}`,
        ready: entityCardLinks('AWS account'),
        present: entityCardLinks('AWS account'),
        api: '/api/aws-clusters/clusters($|\\?)',
      },
    ];
    // BENCH_BROWSER_VIEWS=topology,account: only the views whose names contain one of these words.
    const only = process.env.BENCH_BROWSER_VIEWS?.split(',').filter(Boolean);
    const chosen = only
      ? views.filter(v => only.some(word => v.name.includes(word)))
      : views;
    const results: Record<string, Awaited<ReturnType<typeof measureView>>> = {};
    for (const view of chosen) {
      console.log(
        `measuring ${view.name}: ${options.runs} runs (+1 warm-up) each of route change and page load`,
      );
      results[view.name] = await measureView(page, base, view, options.runs);
    }

    // BENCH_BROWSER_PROFILE=<dir>: after a warm-up route change (the page loads of the runs above
    // left the view's code unloaded), one more route change of each view under the CPU profiler,
    // saved as <dir>/browser-<n>.cpuprofile (Chrome DevTools, Performance panel, or any cpuprofile
    // viewer), and one recorded as a Chrome trace, <dir>/browser-<n>.trace.json (its style, layout
    // and paint events beside the scripts).
    const profileDir = process.env.BENCH_BROWSER_PROFILE;
    if (profileDir) {
      fs.mkdirSync(profileDir, { recursive: true });
      await cdp.send('Profiler.enable');
      await cdp.send('Profiler.setSamplingInterval', { interval: 100 });
      const fromSettings = async (view: View) => {
        await toSettings(page);
        const t0 = await routeChange(page, view.path);
        const f = await frameWhen(page, view, t0, 60_000);
        return round(f.ready - t0);
      };
      for (const [n, view] of views.entries()) {
        if (!chosen.includes(view)) continue;
        await fromSettings(view);
        await toSettings(page);
        await cdp.send('Profiler.start');
        const t0 = await routeChange(page, view.path);
        const f = await frameWhen(page, view, t0, 60_000);
        const { profile } = await cdp.send('Profiler.stop');
        const file = path.join(profileDir, `browser-${n}.cpuprofile`);
        fs.writeFileSync(file, JSON.stringify(profile));
        const trace = path.join(profileDir, `browser-${n}.trace.json`);
        await browser.startTracing(page, { path: trace, screenshots: false });
        const traced = await fromSettings(view);
        await browser.stopTracing();
        console.log(
          `profiled ${view.name} (${round(
            f.ready - t0,
          )} ms) into ${file}, traced (${traced} ms) into ${trace}`,
        );
      }
    }

    const rows = Object.entries(results).flatMap(([name, r]) => [
      [
        name,
        'route change',
        r.route.medianMs,
        r.route.p95Ms,
        r.route.minMs,
        r.route.maxMs,
        r.route.dataRequestedMedianMs ?? '?',
        r.route.dataReceivedMedianMs ?? '?',
        r.route.inDomMedianMs,
      ],
      [
        name,
        'page load',
        r.load.medianMs,
        r.load.p95Ms,
        r.load.minMs,
        r.load.maxMs,
        r.load.dataRequestedMedianMs ?? '?',
        r.load.dataReceivedMedianMs ?? '?',
        r.load.inDomMedianMs,
      ],
    ]);
    const header = [
      'view',
      'measure',
      'median ms',
      'p95 ms',
      'min ms',
      'max ms',
      'data asked (median)',
      'data in (median)',
      'in DOM (median)',
    ];
    const widths = header.map((h, i) =>
      Math.max(h.length, ...rows.map(r => String(r[i]).length)),
    );
    const format = (r: Array<string | number>) =>
      r
        .map((c, i) =>
          typeof c === 'number'
            ? String(c).padStart(widths[i])
            : String(c).padEnd(widths[i]),
        )
        .join('  ');
    console.log(format(header));
    for (const r of rows) console.log(format(r));

    const goals = Object.fromEntries(
      Object.entries(results).map(([name, r]) => [
        `${name}: route change median under ${options.goalMs} ms`,
        r.route.medianMs < options.goalMs,
      ]),
    );
    const result = {
      kind: 'browser',
      at: new Date().toISOString(),
      machine: {
        cpus: os.cpus().length,
        node: process.version,
        chromium: browser.version(),
      },
      fleet: {
        clusters: options.clusters,
        owner: `group:default/${TEAM}`,
        wideCluster: `${wide.managementCluster}/${wide.name}`,
        widePools: WIDE_POOLS,
        zones: 3,
      },
      loadAverage: os.loadavg().map(n => round(n, 2)),
      runs: options.runs,
      measure: {
        route:
          'in-app route change (pushState + popstate) from /settings: performance.now() before the change to the first animation frame with the content in the DOM; HTTP cache disabled; one warm-up run not counted',
        load: 'full page load: navigation start to the first animation frame with the content in the DOM; HTTP cache disabled',
        phases:
          "dataRequested / dataReceived: startTime / responseEnd of the view's (last) fleet request, dataRequests: how many the view made; inDom: first frame with the content in the DOM (the topology: its pool boxes, before its labels are drawn)",
      },
      views: results,
      goals,
    };
    const out = path.join(RESULTS, `browser-${size}.json`);
    fs.writeFileSync(out, `${JSON.stringify(result, null, 2)}\n`);
    console.log(
      `goals: ${Object.entries(goals)
        .map(([k, v]) => `${k} ${v ? 'met' : 'MISSED'}`)
        .join(', ')}`,
    );
    console.log(`results in ${path.relative(REPO, out)}`);
    return result;
  } finally {
    await browser.close();
    portal.stop();
    fs.rmSync(work, { recursive: true, force: true });
  }
}
