import AxeBuilder from '@axe-core/playwright';
import { expect, Locator, Page, test } from '@playwright/test';
import fs from 'node:fs';
import path from 'node:path';
import { SCREENSHOTS } from './screenshots';

/*
 * Every Clusterdeck page and card as the demo's team lead (the guest, a lead of the payments
 * team): the team's Clusters tab with its filters, a cluster's page with each of its cards, the
 * fleet overview, a management cluster's and an account's page, and another team's cluster. Each
 * page is checked with axe (no serious or critical violation) and saved as a screenshot in
 * test-results/screenshots (docs/screenshots with UPDATE_SCREENSHOTS=1). The topology diagram is
 * also read by keyboard and its labels' rendered heights are measured.
 */

const TEAM_CLUSTERS = '/catalog/default/group/payments/clusters';
const PAY_PROD = '/catalog/default/resource/mc-eu-prod-pay-prod';
const WEB_PROD = '/catalog/default/resource/mc-eu-prod-web-prod';
const MANAGEMENT_CLUSTER = '/catalog/default/resource/mc-eu-prod';
const ACCOUNT = '/catalog/default/resource/aws-account-production';
const FLEET = '/aws-clusters-fleet';
/** What a failed request shows (Backstage's error panel), never on these pages. */
const ERRORS = /Request failed|Forbidden|could not be loaded|ResponseError/;

/** A figure of the run, printed with the test's output. */
function report(line: string) {
  process.stdout.write(`${line}\n`);
}

async function shot(page: Page, name: string) {
  await page.waitForTimeout(400);
  await page.screenshot({
    path: path.join(SCREENSHOTS, `${name}.png`),
    fullPage: true,
  });
}

async function shotOf(part: Locator, name: string) {
  await part.scrollIntoViewIfNeeded();
  await part.screenshot({ path: path.join(SCREENSHOTS, `${name}.png`) });
}

/** The card (InfoCard) whose header is `title`. */
function card(page: Page, title: string | RegExp): Locator {
  return page
    .locator('.MuiCard-root')
    .filter({
      has: page.locator('.MuiCardHeader-root', { hasText: title }),
    })
    .first();
}

/**
 * axe over the page, or over the parts named by `include`: the serious and critical violations,
 * one line each with the elements they concern, so that a failure says what to fix.
 */
async function seriousViolations(page: Page, include?: string[]) {
  let builder = new AxeBuilder({ page }).withTags([
    'wcag2a',
    'wcag2aa',
    'wcag21a',
    'wcag21aa',
    'best-practice',
  ]);
  for (const selector of include ?? []) builder = builder.include(selector);
  // Backstage's NotificationsSidebarItem names its link "Notifications" while it shows the
  // unread count beside the word: upstream's app shell, not a Clusterdeck page.
  builder = builder.exclude('nav a[href="/notifications"]');
  const results = await builder.analyze();
  return results.violations
    .filter(v => v.impact === 'serious' || v.impact === 'critical')
    .map(
      v =>
        `${v.impact} ${v.id} (${v.help}): ${v.nodes
          .slice(0, 5)
          .map(n => n.target.join(' '))
          .join(' | ')}${
          v.nodes.length > 5 ? ` and ${v.nodes.length - 5} more` : ''
        }; first: ${v.nodes[0].html.slice(0, 300)} ${(
          v.nodes[0].failureSummary ?? ''
        ).replace(/\s+/g, ' ')}`,
    );
}

async function expectAccessible(page: Page, what: string) {
  const violations = await seriousViolations(page);
  report(`axe, ${what}: ${violations.length} serious or critical violation(s)`);
  expect(violations, `axe on ${what}`).toEqual([]);
}

async function signInAsGuest(page: Page) {
  await page.goto('/');
  await page.getByRole('button', { name: 'Enter' }).click();
  await expect(
    page.getByRole('heading', { level: 1, name: /Catalog/ }),
  ).toBeVisible();
}

/** An entity page, reloaded while a freshly started catalog has not taken in the fleet yet. */
async function openEntity(page: Page, url: string, cardTitle: string) {
  await page.goto(url);
  await expect(async () => {
    if (await page.getByText('Entity not found').isVisible())
      await page.reload();
    await expect(card(page, cardTitle)).toBeVisible({ timeout: 10_000 });
  }).toPass({ timeout: 90_000 });
  await expect(page.getByRole('progressbar')).toHaveCount(0);
}

test.beforeEach(async ({ page }) => {
  await signInAsGuest(page);
});

test("the team's Clusters tab: sorting, filters in the URL, CSV export", async ({
  page,
}) => {
  await page.goto(TEAM_CLUSTERS);
  const table = page.getByRole('table').last();
  await expect(table.getByRole('link', { name: 'pay-prod' })).toBeVisible();
  await expect(table.getByRole('link', { name: 'pay-dev' })).toBeVisible();
  await expect(table.getByRole('link', { name: 'web-prod' })).toHaveCount(0);
  const filters = page.getByRole('search', { name: 'Filter clusters' });
  await expect(filters).toBeVisible();
  // Each cluster's version with its support badge, and its cost from the recorded Cost Explorer answer.
  await expect(
    table.getByRole('button', { name: 'Version support' }),
  ).toBeVisible();
  await expect(table.getByRole('button', { name: 'Cost' })).toBeVisible();
  const payProd = table.getByRole('row').filter({
    has: page.getByRole('link', { name: 'pay-prod' }),
  });
  await expect(
    payProd.getByLabel(
      /^(Supported|Extended support|Support ending|Unsupported): Kubernetes 1\.33/,
    ),
  ).toBeVisible();
  await expect(
    payProd.getByText(/^\$[\d,.]+ (so far|last month)$/),
  ).toBeVisible();
  await expectAccessible(page, 'team clusters');

  // A filter narrows the rows and lands in the URL; the URL alone restores it.
  await filters.getByLabel('Management cluster').click();
  await page.getByRole('option', { name: /^mc-eu-prod \(\d+\)/ }).click();
  await page.keyboard.press('Escape');
  await expect(page).toHaveURL(/managementCluster=mc-eu-prod/);
  await expect(table.getByRole('link', { name: 'pay-dev' })).toHaveCount(0);
  await expect(table.getByRole('link', { name: 'pay-prod' })).toBeVisible();
  await expect(filters.getByText(/^1 of 2 clusters$/)).toBeVisible();
  await expect(page.getByRole('listbox')).toHaveCount(0);
  await expectAccessible(page, 'team clusters, filtered');
  await shot(page, '20-team-clusters-filtered');

  // Sorting by a column lands in the URL too, ascending then descending.
  await page.goto(TEAM_CLUSTERS);
  const names = () =>
    table
      .locator(
        'tbody tr a[href*="/catalog/default/resource/"]:not([href*="#"])',
      )
      .allInnerTexts();
  await expect(table.getByRole('link', { name: 'pay-dev' })).toBeVisible();
  await table.getByRole('button', { name: 'Name' }).click();
  await expect(page).toHaveURL(/sort=name&dir=asc/);
  expect(await names()).toEqual(['pay-dev', 'pay-prod']);
  await table.getByRole('button', { name: 'Name' }).click();
  await expect(page).toHaveURL(/sort=name&dir=desc/);
  expect(await names()).toEqual(['pay-prod', 'pay-dev']);

  // Sorting by version support lands in the URL (in the direction of the last sort).
  await table.getByRole('button', { name: 'Version support' }).click();
  await expect(page).toHaveURL(/sort=support&dir=(asc|desc)/);

  // The version support filter names its values in words.
  await page.goto(TEAM_CLUSTERS);
  await expect(table.getByRole('link', { name: 'pay-prod' })).toBeVisible();
  await filters.getByLabel('Version support').click();
  const supportOptions = await page.getByRole('option').allInnerTexts();
  report(`team clusters, version support filter: ${supportOptions.join('; ')}`);
  expect(supportOptions.length).toBeGreaterThan(0);
  for (const option of supportOptions)
    expect(option).toMatch(
      /^(standard support|extended support|support ending within \d+ days|past end of support|not in the support calendar) \(\d+\)$/,
    );
  await page.keyboard.press('Escape');

  await page.goto(`${TEAM_CLUSTERS}?managementCluster=mc-eu-dev`);
  await expect(table.getByRole('link', { name: 'pay-dev' })).toBeVisible();
  await expect(table.getByRole('link', { name: 'pay-prod' })).toHaveCount(0);

  // The CSV holds the rows shown.
  const download = page.waitForEvent('download');
  await filters.getByRole('button', { name: 'Download CSV' }).click();
  const csv = fs.readFileSync(await (await download).path(), 'utf8');
  const lines = csv.trim().split(/\r?\n/);
  expect(lines).toHaveLength(2);
  expect(lines[1]).toContain('pay-dev');
  expect(lines[0]).toContain(',version support,support ends on,');
  expect(lines[0]).toContain(',cost status,cost this month,cost last month,');
});

test("a cluster's page: topology, boundaries, node pools and its other cards", async ({
  page,
}) => {
  await openEntity(page, PAY_PROD, 'Cluster topology');
  for (const title of ['Isolation boundaries', 'Node-pool scaling'])
    await expect(card(page, title)).toBeVisible();
  // The demo data arrived: the account's access model and a pool's sizes.
  await expect(
    page.getByText(/audited-no-access|no human write access/).first(),
  ).toBeVisible();
  await expect(page.getByText(ERRORS)).toHaveCount(0);
  const titles = await page
    .locator('.MuiCard-root .MuiCardHeader-root')
    .allInnerTexts();
  report(`cards on the cluster's page: ${titles.join(', ')}`);
  await expectAccessible(page, "a cluster's page");
  await shot(page, '21-cluster-page');

  const topology = card(page, 'Cluster topology');
  // The VPC with its CIDR, zones, and a box per node pool and zone.
  await expect(
    topology.getByRole('button', { name: /^VPC vpc-\S+ .*10\.10\.0\.0\/16/ }),
  ).toBeVisible();
  await expect(
    topology.locator('svg text', { hasText: '10.10.0.0/16' }).first(),
  ).toBeVisible();
  expect(
    await topology.locator('g[data-kind="zone"]').count(),
  ).toBeGreaterThanOrEqual(2);
  expect(
    await topology.getByRole('button', { name: /^Node pool / }).count(),
  ).toBeGreaterThanOrEqual(2);
  await shotOf(topology, '22-topology');
  await shotOf(card(page, 'Isolation boundaries'), '23-boundaries');
  await shotOf(card(page, 'Node-pool scaling'), '24-node-pools');
});

test("the topology diagram's details are reachable by keyboard", async ({
  page,
}) => {
  await openEntity(page, PAY_PROD, 'Cluster topology');
  const topology = card(page, 'Cluster topology');
  const diagram = topology.getByRole('region', { name: /Diagram of cluster/ });
  await expect(diagram).toBeVisible();
  const boxes = diagram.getByRole('button');
  expect(await boxes.count()).toBeGreaterThan(5);

  // Focus the scrolling region, then Tab into the diagram's first box.
  await diagram.focus();
  await page.keyboard.press('Tab');
  const focused = page.locator(':focus');
  await expect(focused).toHaveAttribute('role', 'button');
  const first = await focused.getAttribute('aria-label');
  expect(first).toBeTruthy();
  // Tab moves on to the next box.
  await page.keyboard.press('Tab');
  const second = await page.locator(':focus').getAttribute('aria-label');
  expect(second).toBeTruthy();
  expect(second).not.toEqual(first);

  // Tab on to a node pool's box and open its details with Enter.
  let label = second ?? '';
  for (let i = 0; i < 80 && !/^Node pool /.test(label); i++) {
    await page.keyboard.press('Tab');
    label = (await page.locator(':focus').getAttribute('aria-label')) ?? '';
  }
  expect(label, 'a node pool box reached by Tab').toMatch(/^Node pool /);
  await expect(page.locator(':focus')).toHaveAttribute('data-kind', 'pool');
  await page.keyboard.press('Enter');
  const details = topology.getByRole('region', { name: 'Details' });
  await expect(details).toBeVisible();
  await expect(details.getByRole('heading', { name: label })).toBeVisible();
  await expect(page.locator(':focus')).toHaveAttribute('aria-pressed', 'true');
  await expect(details.locator('dt').first()).toBeVisible();
  await expectAccessible(page, 'the topology with details open');
  await shotOf(topology, '25-topology-details');

  // The details close by keyboard too.
  await details.getByRole('button', { name: 'Close details' }).focus();
  await page.keyboard.press('Enter');
  await expect(details).toHaveCount(0);
});

test('the topology diagram draws its labels at least 10 px tall at 1440×900', async ({
  page,
}) => {
  await page.setViewportSize({ width: 1440, height: 900 });
  await openEntity(page, PAY_PROD, 'Cluster topology');
  const svg = card(page, 'Cluster topology').locator('svg[role="group"]');
  await expect(svg).toBeVisible();
  const heights = await svg.evaluate(el =>
    [...el.querySelectorAll('text')]
      .filter(t => (t.textContent ?? '').trim() !== '')
      .map(t => t.getBoundingClientRect().height),
  );
  expect(heights.length).toBeGreaterThan(20);
  const sorted = [...heights].sort((a, b) => a - b);
  const min = sorted[0];
  const median = sorted[Math.floor(sorted.length / 2)];
  report(
    `topology labels: ${heights.length}, rendered height min ${min.toFixed(
      1,
    )} px, median ${median.toFixed(1)} px`,
  );
  expect(min).toBeGreaterThanOrEqual(10);
});

test('the fleet overview: counts, clusters that need attention, the table', async ({
  page,
}) => {
  await page.goto('/');
  await page
    .getByRole('navigation')
    .getByRole('link', { name: /Fleet/ })
    .click();
  await expect(page).toHaveURL(new RegExp(`${FLEET}$`));
  await expect(
    page
      .getByRole('main')
      .getByRole('heading', { level: 1, name: 'Fleet overview' }),
  ).toBeVisible();
  await expect(page.getByRole('progressbar')).toHaveCount(0);
  const byStatus = page.getByRole('list', { name: /Clusters by status/i });
  await expect(byStatus).toBeVisible();
  await expect(
    page.getByRole('heading', { name: /^Needs attention \(\d+\)$/ }),
  ).toBeVisible();
  await expect(
    page
      .getByRole('list', { name: 'Clusters that need attention' })
      .getByRole('link', { name: 'pay-prod' }),
  ).toBeVisible();
  const table = page.getByRole('table').last();
  await expect(table.getByRole('link', { name: 'pay-prod' })).toBeVisible();
  // The team lead sees the team's part of the fleet.
  await expect(table.getByRole('link', { name: 'web-prod' })).toHaveCount(0);

  // Counts by version support, always the four phases, with the configured warning period.
  const bySupport = page.getByRole('list', {
    name: 'Clusters by version support',
  });
  const supportCounts = await bySupport
    .getByRole('button')
    .evaluateAll(buttons => buttons.map(b => b.getAttribute('aria-label')));
  report(`fleet overview, by version support: ${supportCounts.join('; ')}`);
  expect(supportCounts.slice(0, 4)).toEqual([
    expect.stringMatching(/^past end of support: \d+ clusters?$/),
    expect.stringMatching(/^support ending within 90 days: \d+ clusters?$/),
    expect.stringMatching(/^extended support: \d+ clusters?$/),
    expect.stringMatching(/^standard support: \d+ clusters?$/),
  ]);
  await expect(
    page.getByRole('heading', { name: 'Near or past the end of support' }),
  ).toBeVisible();
  await expect(
    page.getByRole('list', { name: 'Clusters by cost' }),
  ).toBeVisible();
  await expect(table.getByRole('button', { name: 'Cost' })).toBeVisible();
  await expectAccessible(page, 'the fleet overview');
  await shot(page, '26-fleet-overview');

  // A version support count filters the page; the table shows only those clusters.
  const counted = supportCounts.findIndex(c => !/: 0 clusters$/.test(c ?? ''));
  const label = supportCounts[counted] ?? '';
  await bySupport.getByRole('button', { name: label }).click();
  await expect(page).toHaveURL(/support=[a-z-]+/);
  await expect(
    table.locator(
      'tbody tr a[href*="/catalog/default/resource/"]:not([href*="#"])',
    ),
  ).toHaveCount(Number(/: (\d+) clusters?$/.exec(label)![1]));
  await expectAccessible(
    page,
    'the fleet overview, filtered by version support',
  );
  await page.goto(FLEET);
  await expect(table.getByRole('link', { name: 'pay-prod' })).toBeVisible();

  // A bar filters the page and its filter lands in the URL.
  await page
    .getByRole('list', { name: /Clusters by management cluster/i })
    .getByRole('button', { name: /^mc-eu-dev:/ })
    .click();
  await expect(page).toHaveURL(/managementCluster=mc-eu-dev/);
  await expect(table.getByRole('link', { name: 'pay-dev' })).toBeVisible();
  await expect(table.getByRole('link', { name: 'pay-prod' })).toHaveCount(0);
});

test("a management cluster's page: its workload clusters and role identities", async ({
  page,
}) => {
  await openEntity(page, MANAGEMENT_CLUSTER, 'Management cluster mc-eu-prod');
  const mc = card(page, 'Management cluster mc-eu-prod');
  await expect(mc.getByRole('link', { name: 'pay-prod' })).toBeVisible();
  await expect(mc.getByText('payments-prod').first()).toBeVisible();
  await expect(page.getByText(ERRORS)).toHaveCount(0);
  await expectAccessible(page, "a management cluster's page");
  await shot(page, '27-management-cluster');
  await shotOf(mc, '27b-management-cluster-card');
});

test("an account's page: clusters per region, quotas, access and findings", async ({
  page,
}) => {
  await openEntity(page, ACCOUNT, 'AWS account');
  const account = card(page, 'AWS account');
  await expect(account.getByText('eu-west-1').first()).toBeVisible();
  await expect(account.getByRole('link', { name: 'pay-prod' })).toBeVisible();
  await expect(account.getByText(/Elastic IP/i).first()).toBeVisible();
  await expect(
    account.getByRole('list', { name: 'Who can get in' }),
  ).toBeVisible();
  await expect(page.getByText(ERRORS)).toHaveCount(0);
  await expectAccessible(page, "an account's page");
  await shot(page, '28-account');
  await shotOf(account, '28b-account-card');
});

test("another team's cluster: the catalog answers as for a cluster that does not exist", async ({
  page,
}) => {
  // The fleet's entities are in the catalog: the guest's own cluster is.
  await openEntity(page, PAY_PROD, 'Isolation boundaries');
  // What a cluster that does not exist shows, with its name taken out…
  const shown = async (url: string, name: string) => {
    await page.goto(url);
    await expect(page.getByText('Entity not found').first()).toBeVisible();
    await expect(page.getByRole('progressbar')).toHaveCount(0);
    return (await page.locator('main').innerText()).split(name).join('NAME');
  };
  const missing = await shown(
    '/catalog/default/resource/mc-eu-prod-web-gone',
    'mc-eu-prod-web-gone',
  );
  // …is what web-prod, the web team's cluster, shows the payments team's lead.
  expect(await shown(WEB_PROD, 'mc-eu-prod-web-prod')).toBe(missing);
  await expect(page.getByText(ERRORS)).toHaveCount(0);
  await expect(page.getByText(/403/)).toHaveCount(0);
  await expectAccessible(page, "another team's cluster");
  await shot(page, '29-other-team-cluster');
});
