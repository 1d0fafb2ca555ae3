import { expect, Page, test } from '@playwright/test';
import path from 'node:path';
import { SCREENSHOTS } from './screenshots';
import {
  createDryRun,
  openTemplateEditor,
  provideTemplateDirectory,
} from './templateEditor';

/*
 * A team lead's walk through the demo: sign in as the guest (a lead of the payments team),
 * open the team's clusters and one of them, see its cards with the demo fleet's data, and open
 * the request-a-cluster template with its account picker; then fill the whole request in the
 * scaffolder's template editor and run it as a dry run. Each step is saved as a screenshot, a
 * test artifact in test-results/screenshots; with UPDATE_SCREENSHOTS=1 they replace the ones in
 * docs/screenshots, which the README shows.
 */

async function shot(page: Page, name: string) {
  // Menus closed and their transitions over, so the picture shows the form at rest.
  await expect(page.getByRole('listbox')).toHaveCount(0);
  await page.waitForTimeout(400);
  await page.screenshot({
    path: path.join(SCREENSHOTS, `${name}.png`),
    fullPage: true,
  });
}

async function signInAsGuest(page: Page, screenshot?: string) {
  await page.goto('/');
  const enter = page.getByRole('button', { name: 'Enter' });
  await expect(enter).toBeVisible();
  if (screenshot) await shot(page, screenshot);
  await enter.click();
  await expect(
    page.getByRole('heading', { level: 1, name: /Catalog/ }),
  ).toBeVisible();
}

test('a team lead signs in and reads a cluster of the team', async ({
  page,
}) => {
  await signInAsGuest(page, '01-sign-in');

  // The Clusters page is in the sidebar.
  const nav = page.getByRole('navigation');
  await expect(nav.getByRole('link', { name: 'Clusters' })).toBeVisible();
  await nav.getByRole('link', { name: 'Clusters' }).click();
  await expect(page).toHaveURL(/\/aws-clusters$/);

  await page.goto('/catalog/default/group/payments/clusters');
  await expect(page.getByRole('link', { name: 'pay-prod' })).toBeVisible();
  await expect(page.getByRole('link', { name: 'pay-dev' })).toBeVisible();
  await expect(page.getByRole('link', { name: 'web-prod' })).toHaveCount(0);
  await shot(page, '02-team-clusters');

  await page.getByRole('link', { name: 'pay-prod' }).click();
  await expect(
    page.getByRole('heading', { name: /pay-prod/ }).first(),
  ).toBeVisible();
  // A freshly started backend answers before the catalog has taken in the fleet's entities.
  await expect(async () => {
    if (await page.getByText('Entity not found').isVisible())
      await page.reload();
    await expect(page.getByText('Isolation boundaries')).toBeVisible({
      timeout: 10_000,
    });
  }).toPass({ timeout: 90_000 });
  await expect(page.getByText('Node-pool scaling')).toBeVisible();
  // The demo data arrived: the pool at its maximum and the account's access model.
  await expect(
    page.getByText(/audited-no-access|no human write access/).first(),
  ).toBeVisible();
  await shot(page, '03-cluster-cards');
  const topology = page.getByText('Cluster topology');
  await expect(topology).toBeVisible();
  await topology.scrollIntoViewIfNeeded();
  await expect(page.getByText(/10\.10\.0\.0\/16/).first()).toBeVisible();
  await page
    .locator(
      'xpath=//*[text()="Cluster topology"]/ancestor::*[contains(@class,"MuiCard-root")][1]',
    )
    .screenshot({ path: path.join(SCREENSHOTS, '03b-cluster-topology.png') });

  // The request-a-cluster template, with Clusterdeck's form fields reading the demo fleet.
  await page.goto('/create/templates/default/request-cluster');
  await expect(page.getByText('Request a cluster').first()).toBeVisible();
  await page.getByLabel(/AWS account/).click();
  await expect(
    page.getByRole('option', {
      name: /production \(123456789012\) · production · \d+ VPCs/,
    }),
  ).toBeVisible();
  await page
    .getByRole('option', { name: /production \(123456789012\)/ })
    .click();
  await shot(page, '04-request-cluster');
});

test("the role-identity picker offers only the chosen account's identities that admit the team", async ({
  page,
}) => {
  await signInAsGuest(page);
  await page.goto('/create/templates/default/request-cluster');
  const form = page.locator('form');
  await expect(form.getByLabel(/Cluster name/)).toBeVisible();
  await expect(
    form.getByText('Choose the management cluster and the AWS account first.'),
  ).toBeVisible();
  const identities = async () => {
    await form.getByLabel(/Role identity/).click();
    const names = await page.getByRole('option').allInnerTexts();
    await page.keyboard.press('Escape');
    return names;
  };
  const choose = async (field: RegExp, option: RegExp) => {
    await form.getByLabel(field).click();
    await page.getByRole('option', { name: option }).click();
  };

  // The development management cluster and account: only the development identity.
  await choose(/Management cluster/, /^mc-eu-dev/);
  await choose(/AWS account/, /development \(444455556666\)/);
  await expect(form.getByLabel(/Role identity/)).not.toHaveAttribute(
    'aria-disabled',
    'true',
  );
  expect(await identities()).toEqual([
    'dev-shared — arn:aws:iam::444455556666:role/dev-shared',
  ]);
  await choose(/Role identity/, /^dev-shared/);

  // The production account on the production management cluster: the payments identity, not the
  // other teams' identities of the same account; the development identity is gone from the form.
  await choose(/Management cluster/, /^mc-eu-prod/);
  await choose(/AWS account/, /production \(123456789012\)/);
  await expect(form.getByLabel(/Role identity/)).not.toHaveText(/dev-shared/);
  expect(await identities()).toEqual([
    'payments-prod — arn:aws:iam::123456789012:role/payments-prod',
  ]);
  await shot(page, '04b-role-identity-picker');
});

test('a team lead fills the whole cluster request and runs it as a dry run', async ({
  page,
}) => {
  await provideTemplateDirectory(page, 'request-cluster');
  await signInAsGuest(page);

  await openTemplateEditor(page);
  const form = page.locator('form');
  await expect(form.getByLabel(/Cluster name/)).toBeVisible();
  await shot(page, '05-dry-run-editor');

  // Who and where: the guest's team, the production management cluster, account and region, and
  // the role identity the pickers offer for them.
  await form.getByLabel(/Cluster name/).fill('pay-checkout');
  await form
    .getByLabel('Description')
    .fill('Checkout service, dry run from the end-to-end test');
  await expect(form.getByLabel(/Owning team/)).toHaveValue(/Payments/);
  await form.getByLabel(/Management cluster/).click();
  await page.getByRole('option', { name: /^mc-eu-prod · eu-west-1/ }).click();
  await form.getByLabel(/AWS account/).click();
  await page
    .getByRole('option', { name: /production \(123456789012\)/ })
    .click();
  await form.getByLabel(/^Region/).click();
  await page.getByRole('option', { name: /^eu-west-1/ }).click();
  await form.getByLabel(/Role identity/).click();
  await page
    .getByRole('option', {
      name: 'payments-prod — arn:aws:iam::123456789012:role/payments-prod',
    })
    .click();
  await shot(page, '06-dry-run-who-and-where');
  await page.getByRole('button', { name: 'Next', exact: true }).click();

  // Cluster: EC2 over the region's three zones, which the picker chooses to begin with, a release
  // the management cluster offers, and a private API.
  await form.getByLabel(/Flavor/).click();
  await page.getByRole('option', { name: /^EC2/ }).click();
  await expect(form.getByLabel(/Availability zones/)).toHaveText(
    'eu-west-1a, eu-west-1b, eu-west-1c',
  );
  await form.getByLabel(/Platform release/).click();
  await page.getByRole('option', { name: '31.1.0' }).click();
  await expect(form.getByLabel(/Kubernetes API/)).toHaveText('private');
  // A private API is reached from the management cluster through a transit gateway the account and
  // the management cluster share; the picker offers those of the region.
  await form.getByLabel(/Transit gateway/).click();
  await page
    .getByRole('option', { name: /shared-eu-west-1 \(tgw-0123456789abcdef0\)/ })
    .click();
  await shot(page, '07-dry-run-cluster');
  await page.getByRole('button', { name: 'Next', exact: true }).click();

  // Network: the CIDR field suggests the pool's next free block; take it.
  const useSuggestion = form.getByRole('button', {
    name: /^Use 10\.\d+\.0\.0\/16$/,
  });
  await expect(useSuggestion).toBeVisible();
  const suggested = (await useSuggestion.innerText()).replace(/^Use /i, '');
  await useSuggestion.click();
  await expect(form.getByLabel(/VPC CIDR/)).toHaveValue(suggested);
  await expect(
    form.getByText(`Next free block of workloads (10.0.0.0/9): ${suggested}`),
  ).toBeVisible();
  await shot(page, '08-dry-run-network');
  await page.getByRole('button', { name: 'Next', exact: true }).click();

  // Node pools: resize the default pool and add a Karpenter pool.
  const first = form.getByRole('group', { name: 'Node pool 1' });
  await first.getByLabel('Maximum').fill('10');
  await form.getByRole('button', { name: 'Add a node pool' }).click();
  const second = form.getByRole('group', { name: 'Node pool 2' });
  await second.getByLabel('Name').fill('spot01');
  await second.getByLabel('Kind').click();
  await page.getByRole('option', { name: 'Karpenter' }).click();
  await second.getByLabel('Instance families').fill('m6i, c6i');
  await second.getByRole('checkbox', { name: 'Spot' }).check();
  await expect(form.locator('.Mui-error')).toHaveCount(0);
  await shot(page, '09-dry-run-node-pools');
  await page.getByRole('button', { name: 'Next', exact: true }).click();

  // Publishing keeps its only choice; the review lists what was entered.
  await page.getByRole('button', { name: 'Review', exact: true }).click();
  await expect(page.getByText('pay-checkout').first()).toBeVisible();
  await expect(page.getByText('payments-prod').first()).toBeVisible();
  await shot(page, '10-dry-run-review');

  // The dry run: every step runs with the scaffolder's dry-run flag; its files, log and output show below.
  const dryRun = await createDryRun(page);
  const stepIds = ['validate', 'allocate', 'render', 'publish', 'register'];
  expect(dryRun.steps.map((s: { id: string }) => s.id)).toEqual(stepIds);
  for (const id of stepIds) {
    const statuses = dryRun.log
      .map((l: any) => l.body)
      .filter((b: any) => b.stepId === id && b.status)
      .map((b: any) => b.status);
    expect(statuses, `status of step ${id}`).toEqual([
      'processing',
      'completed',
    ]);
  }
  const clusterDir =
    'management-clusters/mc-eu-prod/organizations/payments/workload-clusters/pay-checkout';
  expect(
    dryRun.directoryContents.map((f: { path: string }) => f.path).sort(),
  ).toEqual(
    ['catalog-info.yaml', 'cluster.yaml', 'clusterrequest.yaml'].map(
      f => `${clusterDir}/${f}`,
    ),
  );
  const manifests = Buffer.from(
    dryRun.directoryContents.find((f: { path: string }) =>
      f.path.endsWith('/cluster.yaml'),
    ).base64Content,
    'base64',
  ).toString('utf8');
  expect(manifests).toContain('pay-checkout');
  expect(manifests).toContain(suggested);

  await expect(page.getByText('Dry-run results')).toBeVisible();
  await expect(page.getByText('Result 1')).toBeVisible();
  await page.getByText('management-clusters', { exact: true }).click();
  await page.getByText('mc-eu-prod', { exact: true }).last().click();
  await page.getByText('organizations', { exact: true }).click();
  await page.getByText('payments', { exact: true }).last().click();
  await page.getByText('workload-clusters', { exact: true }).click();
  await page.getByText('pay-checkout', { exact: true }).last().click();
  await page.getByText('cluster.yaml', { exact: true }).click();
  await expect(page.locator('.cm-content').last()).toContainText(
    'name: pay-checkout',
  );
  await shot(page, '11-dry-run-files');
  await page.getByRole('tab', { name: 'Log' }).click();
  await page.getByText("Reserve the VPC's addresses").last().click();
  await expect(
    page.getByText(
      `Dry run: would reserve ${suggested} from workloads for mc-eu-prod/org-payments/pay-checkout`,
    ),
  ).toBeVisible();
  await shot(page, '12-dry-run-log');
});
